import { test } from "node:test";
import assert from "node:assert/strict";
import type { ContainerStatus, Pod } from "../../src/api/types.ts";
import { logContainerId, LogRequestError, parseLogOptions } from "../../src/server/container_logs.ts";

const q = (s: string) => new URLSearchParams(s);

test("parseLogOptions reads the kubelet's PodLogOptions query parameters", () => {
  assert.deepEqual(
    parseLogOptions(q("tailLines=10&follow=true&previous=1&timestamps=True&sinceSeconds=60&limitBytes=100")),
    {
      follow: true,
      previous: true,
      timestamps: true,
      tailLines: 10,
      sinceSeconds: 60,
      limitBytes: 100,
    },
  );
  assert.equal(parseLogOptions(q("sinceTime=2024-01-01T00:00:10Z")).sinceTime, 1704067210);
});

test("parseLogOptions takes the old tail parameter, where all means no limit", () => {
  assert.equal(parseLogOptions(q("tail=5")).tailLines, 5);
  assert.equal(parseLogOptions(q("tail=all&tailLines=5")).tailLines, undefined);
});

for (const query of ["tailLines=x", "follow=yes", "limitBytes=1.5", "sinceTime=yesterday"]) {
  test(`parseLogOptions answers 400 for an undecodable query ${query}`, () => {
    assert.throws(() => parseLogOptions(q(query)), (e) => e instanceof LogRequestError && e.status === 400);
  });
}

for (
  const query of [
    "tailLines=-1",
    "limitBytes=0",
    "sinceSeconds=0",
    "sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z",
  ]
) {
  test(`parseLogOptions answers 422 for invalid options ${query}`, () => {
    assert.throws(() => parseLogOptions(q(query)), (e) => e instanceof LogRequestError && e.status === 422);
  });
}

const terminated = (id: string, exitCode = 1) => ({
  terminated: { exitCode, containerID: `docker://${id}` },
});

function pod(status: Partial<ContainerStatus>): Pod {
  return {
    metadata: { name: "web", namespace: "default" },
    spec: { containers: [{ name: "app", image: "busybox" }] },
    status: {
      phase: "Running",
      containerStatuses: [{
        name: "app",
        image: "busybox",
        imageID: "",
        ready: false,
        restartCount: 1,
        state: {},
        lastState: {},
        ...status,
      }],
    },
  };
}

test("logContainerId picks the running container, and the last terminated one for previous", () => {
  const p = pod({ state: { running: {} }, containerID: "docker://cur", lastState: terminated("old") });
  assert.equal(logContainerId(p, "app", false), "cur");
  assert.equal(logContainerId(p, "app", true), "old");
});

test("logContainerId reads a container waiting in CrashLoopBackOff from its last terminated instance", () => {
  const p = pod({ state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: terminated("dead") });
  assert.equal(logContainerId(p, "app", false), "dead");
  assert.equal(logContainerId(p, "app", true), "dead");
});

test("logContainerId reads a terminated container, even when it never restarted", () => {
  assert.equal(logContainerId(pod({ state: terminated("done", 0) }), "app", false), "done");
});

for (
  const [status, previous, message] of [
    [
      { state: { running: {} }, containerID: "docker://cur" },
      true,
      'previous terminated container "app" in pod "web" not found',
    ],
    [
      { state: { waiting: { reason: "ContainerCreating" } } },
      false,
      'container "app" in pod "web" is waiting to start: ContainerCreating',
    ],
    [
      { state: { waiting: { reason: "ErrImagePull" } } },
      false,
      'container "app" in pod "web" is waiting to start: image can\'t be pulled',
    ],
    [{ state: { waiting: {} } }, false, 'container "app" in pod "web" is waiting to start - no logs yet'],
  ] as const
) {
  test(`logContainerId answers 400 "${message}"`, () => {
    assert.throws(
      () => logContainerId(pod(status as Partial<ContainerStatus>), "app", previous),
      (e) => e instanceof LogRequestError && e.status === 400 && e.message === message,
    );
  });
}

test("logContainerId answers 400 for a container with no status yet", () => {
  const p = pod({});
  p.status!.containerStatuses = [];
  assert.throws(() => logContainerId(p, "app", false), /container "app" in pod "web" is not available/);
});
