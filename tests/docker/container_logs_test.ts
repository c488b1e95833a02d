import { test } from "node:test";
import assert from "node:assert/strict";
import { demuxLogs } from "../../src/docker/container_logs.ts";

const frame = (stream: number, text: string) => {
  const body = new TextEncoder().encode(text);
  const header = new Uint8Array(8);
  header[0] = stream;
  new DataView(header.buffer).setUint32(4, body.length);
  return [...header, ...body];
};
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

test("demuxLogs joins the frames of stdout and stderr in order", () => {
  const body = new Uint8Array([...frame(1, "out 1\n"), ...frame(2, "err 1\n"), ...frame(1, "out 2\n")]);
  assert.equal(decode(demuxLogs(body)), "out 1\nerr 1\nout 2\n");
});

test("demuxLogs returns a body without frame headers (a TTY's log) as it is", () => {
  assert.equal(decode(demuxLogs(new TextEncoder().encode("plain text log\n"))), "plain text log\n");
});

test("demuxLogs keeps what there is of a frame cut short", () => {
  const body = new Uint8Array(frame(1, "complete\n"));
  assert.equal(decode(demuxLogs(body.subarray(0, body.length - 2))), "complet");
});
