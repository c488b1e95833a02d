import { test } from "node:test";
import assert from "node:assert/strict";
import { SettledFiles } from "../../src/config/settled_files.ts";

/** One reading of `files` (name -> text); returns which were settled and whether to read again. */
function reading(s: SettledFiles, files: Record<string, string>) {
  s.begin();
  const settled = Object.entries(files).filter(([f, t]) => s.settled(f, t)).map(([f]) => f);
  return { settled, again: s.end() };
}

test("SettledFiles applies a new text only once a second read agrees", () => {
  const s = new SettledFiles();
  assert.deepEqual(reading(s, { a: "v1" }), { settled: [], again: true });
  assert.deepEqual(reading(s, { a: "v1" }), { settled: ["a"], again: false });
  assert.deepEqual(reading(s, { a: "v1" }), { settled: ["a"], again: false }, "unchanged text stays applied");
});

test("SettledFiles never applies a text caught mid-write, only the finished one", () => {
  const s = new SettledFiles();
  reading(s, { a: "full" });
  reading(s, { a: "full" });
  assert.deepEqual(reading(s, { a: "fu" }), { settled: [], again: true }, "a prefix is held back");
  assert.deepEqual(reading(s, { a: "full v2" }), { settled: [], again: true }, "still changing");
  assert.deepEqual(reading(s, { a: "full v2" }), { settled: ["a"], again: false });
});

test("SettledFiles forgets a removed file: its return is a new text again", () => {
  const s = new SettledFiles();
  reading(s, { a: "x" });
  reading(s, { a: "x" });
  assert.deepEqual(reading(s, {}), { settled: [], again: false });
  assert.deepEqual(reading(s, { a: "x" }), { settled: [], again: true });
});

test("SettledFiles settles each file on its own", () => {
  const s = new SettledFiles();
  reading(s, { a: "1", b: "1" });
  assert.deepEqual(reading(s, { a: "1", b: "2" }), { settled: ["a"], again: true });
});
