import { test } from "node:test";
import assert from "node:assert/strict";
import type { ObservedContainer, ObservedPod } from "../../src/runtime/observed.ts";
import { runningPods } from "../../src/server/running_pods.ts";

const c = (
  name: string,
  kind: ObservedContainer["kind"],
  state: ObservedContainer["state"],
): ObservedContainer => ({
  id: name,
  name,
  kind,
  podName: "p",
  podNamespace: "ns",
  podUid: "u1",
  state,
  createdAt: "2024-01-01T00:00:00Z",
  hash: "",
  restartCount: 0,
  backoffSeconds: 0,
  attempt: 0,
  image: `img-${name}`,
  imageID: "",
  gracePeriodSeconds: 30,
});

test("runningPods lists pods with running containers, each with name and image, as ToAPIPod does", () => {
  const observed = new Map<string, ObservedPod>([
    ["p_ns", {
      name: "p",
      namespace: "ns",
      sandboxes: [c("POD", "sandbox", "running")],
      containers: [c("a", "app", "running"), c("b", "app", "exited")],
    }],
    ["q_ns", {
      name: "q",
      namespace: "ns",
      sandboxes: [c("POD", "sandbox", "exited")],
      containers: [c("x", "app", "exited")],
    }],
  ]);
  const list = runningPods(observed);
  assert.equal(list.kind, "PodList");
  assert.deepEqual(list.items, [{
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "ns", uid: "u1", creationTimestamp: null },
    spec: { containers: [{ name: "a", image: "img-a", resources: {} }] },
    status: {},
  }]);
});
