import { test } from "node:test";
import assert from "node:assert/strict";
import {
  checkFields,
  matchesFields,
  parseFieldSelector,
} from "../../../src/server/apiserver/field_selector.ts";
import { SelectorError } from "../../../src/server/apiserver/label_selector.ts";

const fields = { "metadata.name": "web", "status.phase": "Running", "spec.nodeName": "n1" };

for (
  const [selector, expected] of [
    ["", true],
    ["status.phase=Running", true],
    ["status.phase==Running", true],
    ["status.phase=Pending", false],
    ["status.phase!=Failed,status.phase!=Succeeded", true],
    ["status.phase!=Running", false],
    ["metadata.name=web,spec.nodeName=n1", true],
    ["metadata.name=web,spec.nodeName=n2", false],
  ] as const
) {
  test(`matchesFields: ${JSON.stringify(selector)} is ${expected}`, () => {
    assert.equal(matchesFields(parseFieldSelector(selector), fields), expected);
  });
}

test("parseFieldSelector unescapes commas and equals signs in values", () => {
  assert.deepEqual(parseFieldSelector(String.raw`metadata.name=a\,b\=c,status.phase=x`), [
    { field: "metadata.name", operator: "=", value: "a,b=c" },
    { field: "status.phase", operator: "=", value: "x" },
  ]);
});

test("parseFieldSelector refuses a requirement without an operator", () => {
  assert.throws(() => parseFieldSelector("status.phase"), SelectorError);
});

test("checkFields refuses a field the resource cannot be selected by, as the API server words it", () => {
  assert.throws(
    () => checkFields(parseFieldSelector("spec.nope=x"), fields),
    { name: "SelectorError", message: "field label not supported: spec.nope" },
  );
  checkFields(parseFieldSelector("status.phase=Running"), fields);
});
