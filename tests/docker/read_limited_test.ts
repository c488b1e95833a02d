import { test } from "node:test";
import assert from "node:assert/strict";
import { readLimited, readLimitedText } from "../../src/docker/read_limited.ts";

/** An endless stream of 1 KiB chunks of `x`, counting what was pulled and whether it was cancelled. */
function endless() {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      seen.pulled++;
      c.enqueue(new Uint8Array(1024).fill(0x78));
    },
    cancel() {
      seen.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, seen };
}

function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(enc.encode(p));
      c.close();
    },
  });
}

test("readLimited keeps the first limit bytes of an endless stream and cancels it", async () => {
  const { stream, seen } = endless();
  const { bytes, truncated } = await readLimited(stream, 10_240 + 100);
  assert.equal(bytes.length, 10_340);
  assert.equal(truncated, true);
  assert.equal(seen.cancelled, true);
  assert.ok(seen.pulled <= 12, `pulled ${seen.pulled} chunks`);
});

test("readLimited returns a short stream whole, not truncated", async () => {
  const { bytes, truncated } = await readLimited(streamOf("ab", "cd"), 10);
  assert.equal(new TextDecoder().decode(bytes), "abcd");
  assert.equal(truncated, false);
  assert.deepEqual(await readLimited(null, 10), { bytes: new Uint8Array(0), truncated: false });
});

test("readLimited with drain reads the stream to its end but keeps only the limit", async () => {
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (++pulls > 50) return c.close();
      c.enqueue(new Uint8Array(1000).fill(0x61 + (pulls % 26)));
    },
  }, { highWaterMark: 0 });
  const { bytes, truncated } = await readLimited(stream, 2500, { drain: true });
  assert.equal(pulls, 51);
  assert.equal(bytes.length, 2500);
  assert.equal(truncated, true);
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 1)), "b");
});

test("readLimitedText decodes the kept bytes", async () => {
  assert.equal(await readLimitedText(streamOf("hello ", "world"), 8), "hello wo");
});

test("readLimited passes on the stream's error", async () => {
  const failing = new ReadableStream<Uint8Array>({
    pull(c) {
      c.error(new Error("reset"));
    },
  });
  await assert.rejects(readLimited(failing, 10), /reset/);
});
