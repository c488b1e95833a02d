import { test } from "node:test";
import assert from "node:assert/strict";
import { demultiplex, limitBytes } from "../../src/docker/log_stream.ts";

const enc = new TextEncoder();

function frame(type: number, text: string): Uint8Array {
  const payload = enc.encode(text);
  const out = new Uint8Array(8 + payload.length);
  out[0] = type;
  new DataView(out.buffer).setUint32(4, payload.length);
  out.set(payload, 8);
  return out;
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const chunk of chunks) c.enqueue(chunk);
      c.close();
    },
  });
}

/** Splits `bytes` into chunks of `size`, so frames straddle chunk edges. */
function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), at += p.length);
  return out;
};

for (const size of [1, 3, 7, 1000]) {
  test(`demultiplex joins stdout and stderr payloads in order, in chunks of ${size} bytes`, async () => {
    const bytes = concat([frame(1, "out one\n"), frame(2, "err one\n"), frame(1, ""), frame(1, "out two\n")]);
    const text = await new Response(demultiplex(streamOf(chunked(bytes, size)))).text();
    assert.equal(text, "out one\nerr one\nout two\n");
  });
}

test("demultiplex keeps only the wanted streams", async () => {
  const bytes = concat([frame(1, "out\n"), frame(2, "err\n")]);
  assert.equal(await new Response(demultiplex(streamOf([bytes]), ["stderr"])).text(), "err\n");
});

test("demultiplex fails on bytes that are not a frame header (a TTY stream)", async () => {
  const stream = demultiplex(streamOf([enc.encode("plain text that is long enough\n")]));
  await assert.rejects(new Response(stream).text(), /does not start a frame header/);
});

test("demultiplex cancels its source when its reader cancels", async () => {
  let cancelled = false;
  const source = new ReadableStream<Uint8Array>({
    pull: (c) => c.enqueue(frame(1, "line\n")),
    cancel() {
      cancelled = true;
    },
  });
  const reader = demultiplex(source).getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), "line\n");
  await reader.cancel();
  assert.ok(cancelled);
});

test("limitBytes passes the first N bytes and cancels its source", async () => {
  let cancelled = false;
  let pulls = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(c) {
      pulls++;
      c.enqueue(enc.encode("0123456789"));
      if (pulls > 1000) c.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  const text = await new Response(limitBytes(source, 25)).text();
  assert.equal(text, "0123456789012345678901234");
  assert.ok(cancelled, "the source was cancelled");
  assert.ok(pulls < 10);
});
