import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { platform } from "../../src/platform/mod.ts";

test("readTextFile with maxBytes reads a file of up to that many bytes, and refuses a larger one", async () => {
  const dir = await mkdtemp(join(tmpdir(), "read-limit-"));
  try {
    await writeFile(join(dir, "ten"), "0123456789");
    assert.equal(await platform.readTextFile(join(dir, "ten"), { maxBytes: 10 }), "0123456789");
    await assert.rejects(platform.readTextFile(join(dir, "ten"), { maxBytes: 9 }), RangeError);
    await writeFile(join(dir, "empty"), "");
    assert.equal(await platform.readTextFile(join(dir, "empty"), { maxBytes: 9 }), "");
    await assert.rejects(
      platform.readTextFile(join(dir, "missing"), { maxBytes: 9 }),
      (e) => !(e instanceof RangeError),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
