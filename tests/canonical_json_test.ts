import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalJson } from "../src/canonical_json.ts";

test("canonicalJson sorts keys at every depth and leaves out undefined values", () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [1, { z: 0, y: "s" }], c: undefined } }),
    '{"a":{"d":[1,{"y":"s","z":0}]},"b":1}',
  );
});

test("canonicalJson writes an undefined array element as null, or as nothing when asked", () => {
  assert.equal(canonicalJson([1, undefined, null]), "[1,null,null]");
  assert.equal(canonicalJson([1, undefined, null, [undefined]], "empty"), "[1,,null,[]]");
});

test("canonicalJson writes scalars as JSON does", () => {
  assert.equal(canonicalJson('a"b'), '"a\\"b"');
  assert.equal(canonicalJson(null), "null");
  assert.equal(canonicalJson(0), "0");
});
