import { test } from "node:test";
import assert from "node:assert/strict";
import { KubeletMetrics } from "../../src/metrics/kubelet_metrics.ts";
import type { ObservedContainer, ObservedPod } from "../../src/runtime/observed.ts";

const container = (
  id: string,
  kind: ObservedContainer["kind"],
  state: ObservedContainer["state"],
): ObservedContainer => ({
  id,
  name: id,
  kind,
  podName: "p",
  podNamespace: "default",
  podUid: "u",
  state,
  createdAt: "2024-01-01T00:00:00Z",
  hash: "",
  restartCount: 0,
  backoffSeconds: 0,
  attempt: 0,
  image: "busybox",
  imageID: "",
  gracePeriodSeconds: 30,
});

test("kubelet_running_pods and kubelet_running_containers are read from the runtime's view at scrape time", () => {
  const m = new KubeletMetrics("n1");
  const observed = new Map<string, ObservedPod>([
    ["a_default", {
      name: "a",
      namespace: "default",
      sandboxes: [container("s1", "sandbox", "running")],
      containers: [container("c1", "app", "running"), container("c2", "app", "exited")],
    }],
    ["b_default", {
      name: "b",
      namespace: "default",
      sandboxes: [container("s2", "sandbox", "exited")],
      containers: [container("c3", "init", "created")],
    }],
  ]);
  m.watch({ observed: () => observed, desiredPods: () => 2 });
  const text = m.registry.expose();
  assert.match(text, /^kubelet_running_pods 1$/m);
  assert.match(text, /^kubelet_running_containers\{container_state="running"\} 1$/m);
  assert.match(text, /^kubelet_running_containers\{container_state="exited"\} 1$/m);
  assert.match(text, /^kubelet_running_containers\{container_state="created"\} 1$/m);
  assert.match(text, /^kubelet_desired_pods\{static="true"\} 2$/m);
  assert.match(text, /^kubelet_node_name\{node="n1"\} 1$/m);
});

test("kubelet_restarted_pods_total counts a pod re-added with the UID it had when removed", () => {
  const m = new KubeletMetrics("n1");
  m.podAdded("u1");
  assert.equal(m.restartedPods.value({ static: "true" }), 0);
  m.podRemoved("u1");
  m.podAdded("u2");
  m.podAdded("u1");
  assert.equal(m.restartedPods.value({ static: "true" }), 1);
  m.podAdded("u1");
  assert.equal(m.restartedPods.value({ static: "true" }), 1, "counted once per removal");
});

test("kubelet_pod_start_duration_seconds observes the first Pending to Running move since first seen", () => {
  const m = new KubeletMetrics("n1");
  const seen = new Date("2024-01-01T00:00:00Z");
  m.podStatusChanged(undefined, { phase: "Pending" }, seen, new Date("2024-01-01T00:00:01Z"));
  m.podStatusChanged({ phase: "Pending" }, { phase: "Running" }, seen, new Date("2024-01-01T00:00:03Z"));
  m.podStatusChanged({ phase: "Running" }, { phase: "Running" }, seen, new Date("2024-01-01T00:00:09Z"));
  assert.deepEqual(m.podStartDuration.totals(), { count: 1, sum: 3 });
});

test("started containers and pods are counted by type; failures by type and code", () => {
  const m = new KubeletMetrics("n1");
  m.containerCreated("podsandbox");
  m.containerCreated("container");
  m.containerCreated("init_container");
  m.containerFailed("container", "RunContainerError");
  m.containerFailed("podsandbox", "CreateContainerError");
  assert.equal(m.startedPods.value(), 1);
  assert.equal(m.startedPodsErrors.value(), 1);
  assert.equal(m.startedContainers.value({ container_type: "container" }), 1);
  assert.equal(m.startedContainers.value({ container_type: "init_container" }), 1);
  assert.equal(
    m.startedContainersErrors.value({ container_type: "container", code: "RunContainerError" }),
    1,
  );
});

test("runtime operations count calls, latency and errors by operation type", () => {
  const m = new KubeletMetrics("n1");
  m.runtimeOperation("list_containers", 0.002, false);
  m.runtimeOperation("list_containers", 0.004, true);
  assert.equal(m.runtimeOperations.value({ operation_type: "list_containers" }), 2);
  assert.equal(m.runtimeOperationsErrors.value({ operation_type: "list_containers" }), 1);
  assert.equal(m.runtimeOperationsDuration.totals({ operation_type: "list_containers" }).count, 2);
  assert.match(
    m.registry.expose(),
    /^kubelet_runtime_operations_duration_seconds_bucket\{operation_type="list_containers",le="0.005"\} 2$/m,
  );
});
