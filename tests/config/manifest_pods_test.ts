import { test } from "node:test";
import assert from "node:assert/strict";
import { addManifestPods } from "../../src/config/manifest_pods.ts";
import type { Snapshot } from "../../src/config/snapshot.ts";

const empty = (source: Snapshot["source"]): Snapshot => ({
  source,
  pods: [],
  problems: [],
  failedOrigins: [],
});
const from = { source: "file", origin: "/m/a.yaml", nodeName: "node1", seen: new Date(0) } as const;

test("addManifestPods warns about unknown and ignored fields, drops the unknown ones and still runs the pod", async () => {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: a, restartPolicy: Never}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: c, image: busybox}]
`;
  const snapshot = empty("file");
  await addManifestPods(text, from, snapshot);
  assert.equal(snapshot.pods.length, 1);
  assert.equal(snapshot.pods[0].pod.metadata.restartPolicy, undefined);
  assert.deepEqual(snapshot.problems, []);
  assert.deepEqual(snapshot.warnings, [
    {
      origin: "/m/a.yaml",
      line: 1,
      message: 'pod "a": unknown field "metadata.restartPolicy" (restartPolicy is a field of spec): not used',
    },
    {
      origin: "/m/a.yaml",
      line: 1,
      message: 'pod "a": fields accepted but not acted on by the standalone kubelet: spec.nodeSelector',
    },
  ]);
});

test("addManifestPods gives one warning per document, naming the list item", async () => {
  const text = `apiVersion: v1
kind: PodList
items:
- metadata: {name: a}
  spec: {tolerations: [], containers: [{name: c, image: x}]}
- metadata: {name: b}
  spec: {containers: [{name: c, image: x}]}
`;
  const snapshot = empty("http");
  await addManifestPods(text, { ...from, source: "http", origin: "http://127.0.0.1/pods" }, snapshot);
  assert.deepEqual(snapshot.pods.map((p) => p.pod.metadata.name), ["a-node1", "b-node1"]);
  assert.deepEqual(snapshot.warnings?.map((w) => w.message), [
    'items[0]: pod "a": fields accepted but not acted on by the standalone kubelet: spec.tolerations',
  ]);
});

test("addManifestPods reports an invalid document as a problem and marks its origin failed", async () => {
  const snapshot = empty("http");
  await addManifestPods("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n", {
    ...from,
    source: "http",
    origin: "http://127.0.0.1/pods",
  }, snapshot);
  assert.deepEqual(snapshot.pods, []);
  assert.deepEqual(snapshot.problems, [{
    origin: "http://127.0.0.1/pods",
    line: 1,
    message: 'pod "a": spec.containers: Required value',
  }]);
  assert.deepEqual(snapshot.failedOrigins, ["http://127.0.0.1/pods"]);
});

test("addManifestPods does not call the fields of a refused pod 'accepted but not acted on'", async () => {
  const snapshot: Snapshot = { source: "file", pods: [], problems: [], failedOrigins: [] };
  const text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n" +
    "spec: {hostUsers: false, nodeSelector: {a: b}, containers: [{name: c, image: busybox, imagePolicy: x}]}\n";
  await addManifestPods(
    text,
    { source: "file", origin: "/m/p.yaml", nodeName: "n", seen: new Date(0) },
    snapshot,
  );
  assert.deepEqual(snapshot.problems.map((p) => p.message), [
    'pod "p": spec.hostUsers: Forbidden: user namespaces are not supported by the standalone kubelet, which would run the pod without it',
  ]);
  assert.deepEqual(snapshot.warnings?.map((w) => w.message), [
    'pod "p": unknown field "spec.containers[0].imagePolicy": not used',
  ]);
});
