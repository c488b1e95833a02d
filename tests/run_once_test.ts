import { test } from "node:test";
import assert from "node:assert/strict";
import type { ContainerStatus, Pod, PodStatus } from "../src/api/types.ts";
import { runOnceOutcome } from "../src/run_once.ts";

const cs = (name: string, state: ContainerStatus["state"]): ContainerStatus => ({
  name,
  state,
  lastState: {},
  ready: false,
  restartCount: 0,
  image: "x",
  imageID: "",
});
const pod = (status: Partial<PodStatus>, containers = ["a", "b"]): Pod => ({
  metadata: { name: "p-node1", namespace: "default" },
  spec: { containers: containers.map((name) => ({ name, image: "x" })) },
  status: { phase: "Pending", ...status },
});
const running = { running: { startedAt: "t" } };

test("runOnceOutcome is Running when every container runs", () => {
  assert.deepEqual(
    runOnceOutcome(pod({ phase: "Running", containerStatuses: [cs("a", running), cs("b", running)] })),
    {
      done: true,
      ok: true,
      summary: "Running",
    },
  );
});

test("runOnceOutcome waits while a container is still being created or pulled", () => {
  const status = {
    containerStatuses: [cs("a", running), cs("b", { waiting: { reason: "ContainerCreating" } })],
  };
  assert.deepEqual(runOnceOutcome(pod(status)), { done: false });
  assert.deepEqual(runOnceOutcome(pod({})), { done: false });
});

for (
  const reason of [
    "ErrImagePull",
    "ImagePullBackOff",
    "ErrImageNeverPull",
    "CreateContainerConfigError",
    "RunContainerError",
    "CrashLoopBackOff",
  ]
) {
  test(`runOnceOutcome fails a pod whose container waits with ${reason}`, () => {
    const status = {
      containerStatuses: [cs("a", running), cs("b", { waiting: { reason, message: "why" } })],
    };
    assert.deepEqual(runOnceOutcome(pod(status)), {
      done: true,
      ok: false,
      summary: `Failed: container b: ${reason}: why`,
    });
  });
}

test("runOnceOutcome fails a pod whose volumes cannot be set up", () => {
  const waiting = {
    reason: "ContainerCreating",
    message: 'volume "data": hostPath type check failed: /x is not a directory',
  };
  const status = { containerStatuses: [cs("a", { waiting }), cs("b", { waiting })] };
  assert.equal(runOnceOutcome(pod(status)).done, true);
});

test("runOnceOutcome fails a Failed pod and accepts a Succeeded one", () => {
  assert.deepEqual(runOnceOutcome(pod({ phase: "Failed" })), { done: true, ok: false, summary: "Failed" });
  assert.deepEqual(runOnceOutcome(pod({ phase: "Succeeded" })), {
    done: true,
    ok: true,
    summary: "Succeeded",
  });
});
