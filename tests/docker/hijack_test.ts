import { test } from "node:test";
import assert from "node:assert/strict";
import { hijack } from "../../src/docker/hijack.ts";
import { DockerError } from "../../src/docker/docker_error.ts";
import type { RawConnection } from "../../src/platform/types.ts";

/** A connection that answers with `chunks` and records what was written. */
function fakeConn(chunks: string[]): RawConnection & { written(): string } {
  let written = "";
  const enc = new TextEncoder();
  return {
    readable: new ReadableStream({
      start(c) {
        for (const chunk of chunks) c.enqueue(enc.encode(chunk));
        c.close();
      },
    }),
    write: (b) => Promise.resolve(void (written += new TextDecoder().decode(b))),
    closeWrite: () => Promise.resolve(),
    close: () => {},
    written: () => written,
  };
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<string> {
  let out = "";
  for await (const chunk of stream) out += new TextDecoder().decode(chunk);
  return out;
}

test("hijack asks to upgrade, skips the response head even when split, and yields the raw stream after it", async () => {
  const conn = fakeConn([
    "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r",
    "\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nfirst",
    " second",
  ]);
  const stream = await hijack(conn, "/v1.45/exec/abc/start", { Detach: false, Tty: true });
  assert.equal(await collect(stream), "first second");
  const request = conn.written();
  assert.match(request, /^POST \/v1\.45\/exec\/abc\/start HTTP\/1\.1\r\n/);
  assert.match(request, /\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n/);
  assert.match(request, /\r\nContent-Length: 27\r\n/);
  assert.match(request, /\r\n\r\n\{"Detach":false,"Tty":true\}$/);
});

test("hijack throws the Engine's status and message when it does not upgrade", async () => {
  const conn = fakeConn([
    'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 38\r\n\r\n{"message":"No such exec instance: x"}',
  ]);
  await assert.rejects(
    hijack(conn, "/v1.45/exec/x/start", {}),
    (e: unknown) =>
      e instanceof DockerError && e.status === 404 && e.engineMessage === "No such exec instance: x",
  );
});

test("hijack throws when the Engine closes the connection before answering", async () => {
  await assert.rejects(hijack(fakeConn(["HTTP/1.1 101"]), "/x", {}), DockerError);
});
