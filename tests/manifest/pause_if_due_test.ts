import { test } from "node:test";
import assert from "node:assert/strict";
import { pauseIfDue } from "../../src/manifest/pause_if_due.ts";
import { decodeManifest, decodeManifestAsync } from "../../src/manifest/decode.ts";
import { manyAnnotations } from "./_hostile.ts";

test("pauseIfDue lets a waiting timer run once the slice is used up, and returns nothing within it", async () => {
  let ran = false;
  setTimeout(() => (ran = true), 0);
  const pause = pauseIfDue(0);
  assert.ok(pause instanceof Promise, "a used-up slice pauses");
  await pause;
  assert.equal(ran, true, "the timer ran during the pause");
  // The pause just now restarted the shared clock: an hour-long slice is not used up.
  assert.equal(pauseIfDue(3_600_000), undefined);
});

test("decodeManifestAsync lets timers run while it decodes, and decodes what decodeManifest does", async () => {
  const text = manyAnnotations(30_000);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  // A slice of 0 ms: every step pauses, so the timer must run however fast the machine.
  const docs = await decodeManifestAsync(text, 0);
  clearInterval(timer);
  assert.ok(ticks > 0, "the timer ran while decoding");
  assert.deepEqual(docs, decodeManifest(text));
});
