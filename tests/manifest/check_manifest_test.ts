import { test } from "node:test";
import assert from "node:assert/strict";
import { checkManifest, fieldPath, splitMessage } from "../../src/manifest/check_manifest.ts";

test("fieldPath splits dotted paths with indexes and map keys", () => {
  assert.deepEqual(fieldPath("spec.containers[0].env[1].name"), ["spec", "containers", 0, "env", 1, "name"]);
  assert.deepEqual(fieldPath("metadata.labels[app.kubernetes.io/name]"), [
    "metadata",
    "labels",
    "app.kubernetes.io/name",
  ]);
});

test("splitMessage separates the field path from the problem", () => {
  assert.deepEqual(splitMessage("spec.containers[0].image: Required value"), {
    field: "spec.containers[0].image",
    problem: "Required value",
  });
  assert.deepEqual(splitMessage("invalid YAML: bad: thing"), {
    field: "",
    problem: "invalid YAML: bad: thing",
  });
});

test("checkManifest points each problem at the line of its field, in every document and list item", () => {
  const text = [
    "apiVersion: v1", // 1
    "kind: Pod",
    "metadata:",
    "  name: a",
    "spec:", // 5
    "  containers:",
    "  - name: a",
    "---",
    "apiVersion: v1",
    "kind: List", // 10
    "items:",
    "- apiVersion: v1",
    "  kind: Pod",
    "  metadata: {name: b}",
    "  spec:", // 15
    "    containers:",
    "    - name: b",
    "      image: busybox",
    "      ports: [{containerPort: 70000}]",
    "",
  ].join("\n");
  assert.deepEqual(checkManifest(text).diagnostics, [
    { line: 7, field: "spec.containers[0].image", problem: "Required value", severity: "error" },
    {
      line: 19,
      field: "items[0].spec.containers[0].ports[0].containerPort",
      problem: "Invalid value: 70000: must be between 1 and 65535, inclusive",
      severity: "error",
    },
  ]);
});

test("checkManifest counts valid pods and runs extra warning checks without failing the pod", () => {
  const text =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: a\n    image: x\n  nodeSelector: {a: b}\n";
  const result = checkManifest(text, [
    (pod) => "nodeSelector" in pod.spec ? ["spec.nodeSelector: ignored by the standalone kubelet"] : [],
  ]);
  assert.equal(result.pods, 1);
  assert.deepEqual(result.diagnostics, [{
    line: 9,
    field: "spec.nodeSelector",
    problem: "ignored by the standalone kubelet",
    severity: "warning",
  }]);
});

test("checkManifest reports an empty file as the file source does", () => {
  assert.deepEqual(checkManifest("  \n").diagnostics, [{
    line: 1,
    field: "",
    problem: "file is empty",
    severity: "error",
  }]);
});

test("checkManifest checks ConfigMaps and Secrets, pointing at the line of the field and never showing a Secret's value", () => {
  const text = [
    "apiVersion: v1", // 1
    "kind: ConfigMap",
    "metadata: {name: good}",
    "data: {a: '1'}",
    "---", // 5
    "apiVersion: v1",
    "kind: Secret",
    "metadata: {name: bad}",
    "type: kubernetes.io/dockerconfigjson",
    "stringData:", // 10
    "  .dockerconfigjson: 'hunter2-not-json'",
    "  ok: v",
    "  bad key: v",
    "colour: red",
    "",
  ].join("\n");
  const result = checkManifest(text);
  assert.equal(result.objects, 1);
  assert.equal(result.pods, 0);
  assert.deepEqual(result.diagnostics.map((d) => [d.line, d.field, d.severity]), [
    [11, "stringData[.dockerconfigjson]", "error"],
    [13, "stringData[bad key]", "error"],
    [14, "colour", "warning"],
  ]);
  assert.ok(!JSON.stringify(result).includes("hunter2"));
});
