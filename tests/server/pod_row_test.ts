import { test } from "node:test";
import assert from "node:assert/strict";
import type { ContainerStatus, Pod, PodStatus } from "../../src/api/types.ts";
import { humanDuration, lastError, podRow } from "../../src/server/pod_row.ts";

const NOW = new Date("2024-01-01T12:00:00Z");
const ago = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString();

for (
  const [seconds, text] of [
    [0, "0s"],
    [59, "59s"],
    [119, "119s"],
    [120, "2m"],
    [185, "3m5s"],
    [600, "10m"],
    [179 * 60, "179m"],
    [3 * 3600, "3h"],
    [5 * 3600 + 7 * 60, "5h7m"],
    [30 * 3600, "30h"],
    [50 * 3600, "2d2h"],
    [72 * 3600, "3d"],
    [20 * 86400, "20d"],
    [800 * 86400, "2y70d"],
    [3000 * 86400, "8y"],
  ] as const
) {
  test(`humanDuration prints ${seconds}s as kubectl does: ${text}`, () => {
    assert.equal(humanDuration(seconds * 1000), text);
  });
}

function status(name: string, s: Partial<ContainerStatus>): ContainerStatus {
  return {
    name,
    image: "busybox",
    imageID: "",
    ready: false,
    restartCount: 0,
    state: {},
    lastState: {},
    ...s,
  };
}

function pod(st: Partial<PodStatus>, extra: Partial<Pod["spec"]> = {}): Pod {
  return {
    metadata: { name: "web-n1", namespace: "default", creationTimestamp: null },
    spec: { containers: [{ name: "a", image: "x" }, { name: "b", image: "x" }], nodeName: "n1", ...extra },
    status: { phase: "Running", startTime: ago(300), ...st },
  };
}

test("podRow shows a running pod as kubectl does, aged from startTime when there is no creationTimestamp", () => {
  const row = podRow(
    pod({
      podIP: "172.17.0.2",
      podIPs: [{ ip: "172.17.0.2" }],
      containerStatuses: [
        status("a", { ready: true, state: { running: {} } }),
        status("b", { ready: true, state: { running: {} } }),
      ],
    }),
    NOW,
  );
  assert.deepEqual(row, {
    name: "web-n1",
    namespace: "default",
    ready: "2/2",
    status: "Running",
    restarts: "0",
    age: "5m",
    ip: "172.17.0.2",
    node: "n1",
  });
});

test("podRow shows the waiting reason and restarts with the time since the last one", () => {
  const row = podRow(
    pod({
      containerStatuses: [
        status("a", { ready: true, state: { running: {} } }),
        status("b", {
          restartCount: 3,
          state: { waiting: { reason: "CrashLoopBackOff" } },
          lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(45) } },
        }),
      ],
    }),
    NOW,
  );
  assert.equal(row.status, "CrashLoopBackOff");
  assert.equal(row.ready, "1/2");
  assert.equal(row.restarts, "3 (45s ago)");
});

test("podRow shows init progress, and an init failure with the Init: prefix", () => {
  const spec = { initContainers: [{ name: "i1", image: "x" }, { name: "i2", image: "x" }] };
  const progressing = podRow(
    pod({
      phase: "Pending",
      initContainerStatuses: [
        status("i1", { state: { terminated: { exitCode: 0 } } }),
        status("i2", { state: { running: {} } }),
      ],
      containerStatuses: [
        status("a", { state: { waiting: { reason: "PodInitializing" } } }),
        status("b", {}),
      ],
    }, spec),
    NOW,
  );
  assert.equal(progressing.status, "Init:1/2");
  const failed = podRow(
    pod({
      phase: "Pending",
      initContainerStatuses: [status("i1", { state: { terminated: { exitCode: 2 } } }), status("i2", {})],
    }, spec),
    NOW,
  );
  assert.equal(failed.status, "Init:ExitCode:2");
  const backoff = podRow(
    pod({
      phase: "Pending",
      initContainerStatuses: [status("i1", { state: { waiting: { reason: "CrashLoopBackOff" } } })],
    }, spec),
    NOW,
  );
  assert.equal(backoff.status, "Init:CrashLoopBackOff");
});

test("podRow counts a started sidecar init container in READY and shows Completed pods", () => {
  const sidecar = podRow(
    pod({
      initContainerStatuses: [status("s", { started: true, ready: true, state: { running: {} } })],
      containerStatuses: [
        status("a", { ready: true, state: { running: {} } }),
        status("b", { ready: true, state: { running: {} } }),
      ],
    }, { initContainers: [{ name: "s", image: "x", restartPolicy: "Always" }] }),
    NOW,
  );
  assert.equal(sidecar.ready, "3/3");
  const done = podRow(
    pod({
      phase: "Succeeded",
      containerStatuses: [
        status("a", { state: { terminated: { exitCode: 0, reason: "Completed" } } }),
        status("b", { state: { terminated: { exitCode: 0, reason: "Completed" } } }),
      ],
    }),
    NOW,
  );
  assert.equal(done.status, "Completed");
  assert.equal(done.ready, "0/2");
  assert.equal(done.ip, "<none>");
});

test("lastError names the container and its reason, message or exit code", () => {
  assert.equal(lastError(pod({ message: "volume failed" })), "volume failed");
  assert.equal(
    lastError(
      pod({
        containerStatuses: [
          status("a", { state: { waiting: { reason: "ErrImagePull", message: "no registry" } } }),
        ],
      }),
    ),
    "a: ErrImagePull: no registry",
  );
  assert.equal(
    lastError(
      pod({
        containerStatuses: [
          status("a", {
            state: { running: {} },
            lastState: { terminated: { exitCode: 3, reason: "Error" } },
          }),
        ],
      }),
    ),
    "a: Error (exit code 3)",
  );
  assert.equal(lastError(pod({ containerStatuses: [status("a", { state: { running: {} } })] })), undefined);
});

for (const [ready, shown] of [["False", "NotReady"], ["True", "Running"]] as const) {
  test(`podRow shows a pod with a completed and a running container as ${shown} when Ready is ${ready}`, () => {
    const row = podRow(
      pod({
        conditions: [{ type: "Ready", status: ready, lastProbeTime: null, lastTransitionTime: null }],
        containerStatuses: [
          status("a", { state: { terminated: { exitCode: 0, reason: "Completed" } } }),
          status("b", { ready: true, state: { running: {} } }),
        ],
      }),
      NOW,
    );
    assert.equal(row.status, shown);
    assert.equal(row.ready, "1/2");
  });
}
