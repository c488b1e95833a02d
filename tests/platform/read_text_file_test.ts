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

test("readTextFile with maxBytes reads files larger than its first buffer whole, up to the cap exactly", async () => {
  const dir = await mkdtemp(join(tmpdir(), "read-limit-"));
  try {
    const cap = 300_000; // more than four doublings of the first 16 KiB buffer
    const text = "é".repeat(cap / 2); // two bytes each: exactly `cap` bytes
    await writeFile(join(dir, "at-cap"), text);
    assert.equal(await platform.readTextFile(join(dir, "at-cap"), { maxBytes: cap }), text);
    await assert.rejects(platform.readTextFile(join(dir, "at-cap"), { maxBytes: cap - 1 }), RangeError);
    const mid = "x".repeat(17_000); // just past the first buffer
    await writeFile(join(dir, "mid"), mid);
    assert.equal(await platform.readTextFile(join(dir, "mid"), { maxBytes: cap }), mid);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("readBounded grows its buffer from a small first read and stops one byte past the cap", async () => {
  const { readBounded } = await import("../../src/platform/_read_limit.ts");
  const source = new Uint8Array(200_000).map((_, i) => i % 251);
  let position = 0;
  const sizes: number[] = [];
  const read = (buffer: Uint8Array, offset: number) => {
    sizes.push(buffer.length);
    const n = Math.min(buffer.length - offset, source.length - position, 10_000);
    buffer.set(source.subarray(position, position + n), offset);
    position += n;
    return Promise.resolve(n);
  };
  const all = await readBounded(read, 1_000_000);
  assert.deepEqual(all, source);
  assert.equal(sizes[0], 16 * 1024);
  position = 0;
  assert.equal((await readBounded(read, 99_999)).length, 100_000);
});
