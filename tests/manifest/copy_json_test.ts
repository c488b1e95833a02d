import { test } from "node:test";
import assert from "node:assert/strict";
import { copyJson } from "../../src/manifest/copy_json.ts";
import { decodeManifest } from "../../src/manifest/decode.ts";

test("copyJson copies a decoded pod deeply: changing the copy leaves the original alone", () => {
  const [{ pod }] = decodeManifest(
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {app: web}}\n" +
      "spec: {containers: [{name: c, image: busybox, args: [x, 1, true, null]}]}\n",
  );
  const copy = copyJson(pod!);
  assert.deepEqual(copy, pod);
  copy.metadata.labels!.app = "db";
  (copy.spec.containers[0].args as unknown[]).push("y");
  assert.equal(pod!.metadata.labels!.app, "web");
  assert.deepEqual(pod!.spec.containers[0].args, ["x", 1, true, null]);
});

test("copyJson keeps a __proto__ key an own field, setting no prototype", () => {
  const value = JSON.parse('{"metadata": {"__proto__": {"name": "x"}}}');
  const copy = copyJson(value);
  assert.equal(Object.getPrototypeOf(copy.metadata), Object.prototype);
  assert.equal(copy.metadata.name, undefined);
  assert.deepEqual(Object.keys(copy.metadata), ["__proto__"]);
  assert.deepEqual(Object.getOwnPropertyDescriptor(copy.metadata, "__proto__")?.value, { name: "x" });
});

test("copyJson copies a value reached through two YAML aliases into two separate values", () => {
  const [{ pod }] = decodeManifest(
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: &l {app: web}, annotations: *l}\nspec: {}\n",
  );
  const copy = copyJson(pod!);
  copy.metadata.labels!.app = "db";
  assert.equal(copy.metadata.annotations!.app, "web");
});
