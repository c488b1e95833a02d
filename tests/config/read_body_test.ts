import { test } from "node:test";
import assert from "node:assert/strict";
import { readBodyText } from "../../src/config/read_body.ts";

test("readBodyText gives a body within the limit as text", async () => {
  assert.equal(await readBodyText(new Response("héllo"), 6), "héllo");
  assert.equal(await readBodyText(new Response(null), 6), "");
});

test("readBodyText stops reading an endless body one chunk past the limit", async () => {
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(1024));
    },
  });
  await assert.rejects(readBodyText(new Response(endless), 10_000), RangeError);
  assert.ok(pulled <= 12, `pulled ${pulled} chunks of 1 KiB for a 10,000-byte limit`);
});
