import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod, PodCondition, PodSpec, PodStatus } from "../../src/api/types.ts";
import type { ObservedContainer, ObservedPod } from "../../src/runtime/observed.ts";
import { containerStatus, generatePodStatus, type StatusInput } from "../../src/status/generate.ts";

const T0 = Date.parse("2024-05-06T07:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
/** The same time as the status writes it, in whole seconds. */
const whole = (s: number) => at(s).replace(".000Z", "Z");

function makePod(spec: Partial<PodSpec> = {}): Pod {
  return {
    metadata: { name: "web", namespace: "default", uid: "uid-1" },
    spec: { containers: [{ name: "app", image: "nginx:1.27" }], ...spec },
  };
}

/** A running container `name` of pod uid-1 (kind app unless told). */
function running(name: string, over: Partial<ObservedContainer> = {}): ObservedContainer {
  return {
    id: `${name}-0`,
    name,
    kind: "app",
    podName: "web",
    podNamespace: "default",
    podUid: "uid-1",
    sandboxId: "s1",
    state: "running",
    createdAt: at(1),
    startedAt: at(2),
    hash: "00000000",
    restartCount: 0,
    backoffSeconds: 0,
    attempt: 0,
    image: "nginx:1.27",
    imageID: "sha256:abc",
    gracePeriodSeconds: 30,
    ...over,
  };
}

function exited(name: string, exitCode: number, over: Partial<ObservedContainer> = {}): ObservedContainer {
  return running(name, { state: "exited", exitCode, finishedAt: at(9), ...over });
}

const sandbox = (over: Partial<ObservedContainer> = {}) =>
  running("POD", { id: "s1", kind: "sandbox", sandboxId: undefined, ip: "172.17.0.5", ...over });

function observed(containers: ObservedContainer[], sandboxes = [sandbox()]): ObservedPod {
  return { name: "web", namespace: "default", sandboxes, containers };
}

function input(over: Partial<StatusInput> = {}): StatusInput {
  return {
    waiting: {},
    hostIP: "192.168.1.10",
    acceptedAt: new Date(T0),
    now: new Date(T0 + 60_000),
    ...over,
  };
}

const crashLoop = {
  app: {
    reason: "CrashLoopBackOff",
    message: "back-off 10s restarting failed container=app pod=web_default(uid-1)",
  },
};

function cond(status: PodStatus, type: string): PodCondition {
  const c = status.conditions?.find((c) => c.type === type);
  assert.ok(c, `no ${type} condition`);
  return c;
}

test("containerStatus of a container not created yet is waiting in ContainerCreating", () => {
  const s = containerStatus({ name: "app", image: "nginx:1.27" }, [], input());
  assert.deepEqual(s.state, { waiting: { reason: "ContainerCreating" } });
  assert.deepEqual(s.lastState, {});
  assert.equal(s.ready, false);
  assert.equal(s.restartCount, 0);
  assert.equal(s.image, "nginx:1.27");
  assert.equal(s.containerID, undefined);
});

test("containerStatus of a container not created yet reports why it waits", () => {
  const waiting = { app: { reason: "ErrImagePull", message: "pull access denied" } };
  const s = containerStatus({ name: "app", image: "nope" }, [], input({ waiting }));
  assert.deepEqual(s.state, { waiting: { reason: "ErrImagePull", message: "pull access denied" } });
});

test("containerStatus of a running container has its start time, docker:// IDs and restartCount", () => {
  const s = containerStatus(
    { name: "app", image: "nginx:1.27" },
    [running("app", { restartCount: 3 })],
    input(),
  );
  assert.deepEqual(s.state, { running: { startedAt: at(2) } });
  assert.equal(s.containerID, "docker://app-0");
  assert.equal(s.imageID, "docker://sha256:abc");
  assert.equal(s.restartCount, 3);
  assert.equal(s.ready, true);
  assert.equal(s.started, true);
});

test("containerStatus takes readiness from the readiness results", () => {
  const s = containerStatus({ name: "app", image: "x" }, [running("app")], input({ ready: () => false }));
  assert.equal(s.ready, false);
});

test("containerStatus of a restarted container keeps the previous termination as lastState", () => {
  const s = containerStatus(
    { name: "app", image: "x" },
    [
      running("app", { id: "app-1", restartCount: 1 }),
      exited("app", 2, { startedAt: at(1), finishedAt: at(5) }),
    ],
    input(),
  );
  assert.deepEqual(s.lastState, {
    terminated: {
      exitCode: 2,
      reason: "Error",
      message: undefined,
      startedAt: at(1),
      finishedAt: at(5),
      containerID: "docker://app-0",
    },
  });
});

const terminatedCases: {
  name: string;
  c: ObservedContainer;
  exitCode: number;
  reason: string;
  message?: string;
}[] = [
  { name: "Completed for exit code 0", c: exited("app", 0), exitCode: 0, reason: "Completed" },
  { name: "Error for a non-zero exit code", c: exited("app", 3), exitCode: 3, reason: "Error" },
  {
    name: "OOMKilled when the kernel killed it",
    c: exited("app", 137, { oomKilled: true }),
    exitCode: 137,
    reason: "OOMKilled",
  },
  {
    name: "ContainerCannotRun when it never started",
    c: running("app", {
      state: "created",
      startedAt: undefined,
      exitCode: 0,
      error: 'exec: "nope": not found',
    }),
    exitCode: 128,
    reason: "ContainerCannotRun",
    message: 'exec: "nope": not found',
  },
  {
    name: "the termination message when the container left one",
    c: exited("app", 1, { terminationMessage: "disk full" }),
    exitCode: 1,
    reason: "Error",
    message: "disk full",
  },
];

for (const { name, c, exitCode, reason, message } of terminatedCases) {
  test(`containerStatus of a dead container is terminated with ${name}`, () => {
    const s = containerStatus({ name: "app", image: "x" }, [c], input());
    assert.equal(s.state.terminated?.exitCode, exitCode);
    assert.equal(s.state.terminated?.reason, reason);
    assert.equal(s.state.terminated?.message, message);
    assert.equal(s.state.terminated?.containerID, "docker://app-0");
    assert.equal(s.ready, false);
  });
}

test("containerStatus of a crash-looping container is waiting with the last termination as lastState", () => {
  const s = containerStatus(
    { name: "app", image: "x" },
    [exited("app", 1, { restartCount: 2 })],
    input({ waiting: crashLoop }),
  );
  assert.deepEqual(s.state, { waiting: crashLoop.app });
  assert.equal(s.lastState.terminated?.exitCode, 1);
  assert.equal(s.lastState.terminated?.reason, "Error");
  assert.equal(s.restartCount, 2);
});

const phaseCases: {
  name: string;
  spec?: Partial<PodSpec>;
  containers: ObservedContainer[];
  waiting?: StatusInput["waiting"];
  phase: PodStatus["phase"];
}[] = [
  { name: "Pending while no container was created", containers: [], phase: "Pending" },
  { name: "Running while a container runs", containers: [running("app")], phase: "Running" },
  {
    name: "Pending while one container still waits",
    spec: { containers: [{ name: "app", image: "x" }, { name: "b", image: "x" }] },
    containers: [running("app")],
    phase: "Pending",
  },
  {
    name: "Succeeded under OnFailure when every container exited 0",
    spec: { restartPolicy: "OnFailure" },
    containers: [exited("app", 0)],
    phase: "Succeeded",
  },
  {
    name: "Succeeded under Never when every container exited 0",
    spec: { restartPolicy: "Never" },
    containers: [exited("app", 0)],
    phase: "Succeeded",
  },
  {
    name: "Failed under Never when a container failed",
    spec: { restartPolicy: "Never", containers: [{ name: "app", image: "x" }, { name: "b", image: "x" }] },
    containers: [exited("app", 1), exited("b", 0)],
    phase: "Failed",
  },
  {
    name: "Running under Never while one container still runs after another failed",
    spec: { restartPolicy: "Never", containers: [{ name: "app", image: "x" }, { name: "b", image: "x" }] },
    containers: [exited("app", 1), running("b")],
    phase: "Running",
  },
  {
    name: "Running under OnFailure while a failed container restarts",
    spec: { restartPolicy: "OnFailure" },
    containers: [exited("app", 1)],
    phase: "Running",
  },
  {
    name: "Running under Always while a container crash loops",
    containers: [exited("app", 1)],
    waiting: crashLoop,
    phase: "Running",
  },
  {
    name: "Running under Always when every container exited 0 (they restart)",
    containers: [exited("app", 0)],
    phase: "Running",
  },
  {
    name: "Pending while an init container runs",
    spec: { initContainers: [{ name: "init", image: "x" }] },
    containers: [running("init", { kind: "init" })],
    phase: "Pending",
  },
  {
    name: "Failed under Never when an init container failed",
    spec: { restartPolicy: "Never", initContainers: [{ name: "init", image: "x" }] },
    containers: [exited("init", 1, { kind: "init" })],
    phase: "Failed",
  },
  {
    name: "Pending under OnFailure while a failed init container crash loops",
    spec: { restartPolicy: "OnFailure", initContainers: [{ name: "init", image: "x" }] },
    containers: [exited("init", 1, { kind: "init" })],
    waiting: { init: crashLoop.app },
    phase: "Pending",
  },
  {
    name: "Running when init containers succeeded and the app runs",
    spec: { initContainers: [{ name: "init", image: "x" }] },
    containers: [exited("init", 0, { kind: "init" }), running("app")],
    phase: "Running",
  },
];

for (const { name, spec, containers, waiting = {}, phase } of phaseCases) {
  test(`generatePodStatus phase is ${name}`, () => {
    const status = generatePodStatus(makePod(spec), observed(containers), input({ waiting }));
    assert.equal(status.phase, phase);
  });
}

test("generatePodStatus sets every condition True for a running, ready pod", () => {
  const status = generatePodStatus(makePod(), observed([running("app")]), input());
  for (const type of ["Initialized", "ContainersReady", "Ready", "PodScheduled"]) {
    assert.equal(cond(status, type).status, "True", type);
    assert.equal(cond(status, type).lastProbeTime, null);
  }
});

test("generatePodStatus names the unready containers in ContainersReady and Ready", () => {
  const pod = makePod({ containers: [{ name: "a", image: "x" }, { name: "b", image: "x" }] });
  const status = generatePodStatus(
    pod,
    observed([running("a"), running("b")]),
    input({ ready: (id) => id !== "b-0" }),
  );
  for (const type of ["ContainersReady", "Ready"]) {
    assert.equal(cond(status, type).status, "False");
    assert.equal(cond(status, type).reason, "ContainersNotReady");
    assert.equal(cond(status, type).message, "containers with unready status: [b]");
  }
});

test("generatePodStatus reports incomplete init containers in Initialized", () => {
  const pod = makePod({ initContainers: [{ name: "i1", image: "x" }, { name: "i2", image: "x" }] });
  const status = generatePodStatus(pod, observed([exited("i1", 0, { kind: "init" })]), input());
  const c = cond(status, "Initialized");
  assert.equal(c.status, "False");
  assert.equal(c.reason, "ContainersNotInitialized");
  assert.equal(c.message, "containers with incomplete status: [i2]");
});

test("generatePodStatus does not call a pod whose init container failed (Never) Initialized", () => {
  const pod = makePod({ restartPolicy: "Never", initContainers: [{ name: "init", image: "x" }] });
  const status = generatePodStatus(pod, observed([exited("init", 1, { kind: "init" })]), input());
  assert.equal(status.phase, "Failed");
  assert.equal(cond(status, "Initialized").status, "False");
});

test("generatePodStatus marks a succeeded pod not ready with reason PodCompleted", () => {
  const pod = makePod({ restartPolicy: "OnFailure" });
  const status = generatePodStatus(pod, observed([exited("app", 0)]), input());
  assert.equal(cond(status, "Ready").status, "False");
  assert.equal(cond(status, "Ready").reason, "PodCompleted");
  assert.equal(cond(status, "Initialized").status, "True");
});

test("generatePodStatus keeps lastTransitionTime of a condition whose status did not change", () => {
  const pod = makePod();
  const first = generatePodStatus(pod, observed([running("app")]), input({ now: new Date(T0 + 10_000) }));
  const second = generatePodStatus(
    pod,
    observed([running("app")]),
    input({ previous: first, now: new Date(T0 + 70_000) }),
  );
  assert.equal(cond(second, "Ready").lastTransitionTime, whole(10));
  assert.equal(cond(second, "Initialized").lastTransitionTime, whole(10));
});

test("generatePodStatus moves lastTransitionTime of a condition whose status changed", () => {
  const pod = makePod();
  const first = generatePodStatus(pod, observed([running("app")]), input({ now: new Date(T0 + 10_000) }));
  const second = generatePodStatus(
    pod,
    observed([exited("app", 1)]),
    input({ previous: first, now: new Date(T0 + 70_000), waiting: crashLoop }),
  );
  assert.equal(cond(second, "Ready").status, "False");
  assert.equal(cond(second, "Ready").lastTransitionTime, whole(70));
  assert.equal(cond(second, "PodScheduled").lastTransitionTime, whole(10));
});

test("generatePodStatus writes times in whole seconds, as the API server does", () => {
  const status = generatePodStatus(
    makePod(),
    observed([running("app")]),
    input({ now: new Date(T0 + 5_123), acceptedAt: new Date(T0 + 1_999) }),
  );
  assert.equal(cond(status, "Ready").lastTransitionTime, "2024-05-06T07:00:05Z");
  assert.equal(status.startTime, "2024-05-06T07:00:01Z");
});

test("generatePodStatus takes podIP from the running infra container", () => {
  const status = generatePodStatus(makePod(), observed([running("app")]), input());
  assert.equal(status.podIP, "172.17.0.5");
  assert.deepEqual(status.podIPs, [{ ip: "172.17.0.5" }]);
  assert.equal(status.hostIP, "192.168.1.10");
  assert.deepEqual(status.hostIPs, [{ ip: "192.168.1.10" }]);
});

test("generatePodStatus reports no podIP while the infra container is down", () => {
  const dead = sandbox({ state: "exited", exitCode: 0, finishedAt: at(9) });
  const status = generatePodStatus(makePod(), observed([], [dead]), input());
  assert.equal(status.podIP, undefined);
  assert.equal(status.podIPs, undefined);
});

test("generatePodStatus gives a hostNetwork pod the host's IP", () => {
  const status = generatePodStatus(
    makePod({ hostNetwork: true }),
    observed([running("app")], [sandbox({ ip: undefined })]),
    input(),
  );
  assert.equal(status.podIP, "192.168.1.10");
});

test("generatePodStatus ignores containers of another version of the pod (other UID)", () => {
  const status = generatePodStatus(makePod(), observed([running("app", { podUid: "uid-old" })]), input());
  assert.deepEqual(status.containerStatuses?.[0].state, { waiting: { reason: "ContainerCreating" } });
  assert.equal(status.phase, "Pending");
});

test("generatePodStatus lists init container statuses only for pods that have init containers", () => {
  const plain = generatePodStatus(makePod(), observed([running("app")]), input());
  assert.equal(plain.initContainerStatuses, undefined);
  const withInit = generatePodStatus(
    makePod({ initContainers: [{ name: "init", image: "x" }] }),
    observed([exited("init", 0, { kind: "init" }), running("app")]),
    input(),
  );
  assert.deepEqual(withInit.initContainerStatuses?.map((s) => s.state.terminated?.reason), ["Completed"]);
});

test("generatePodStatus carries the pod-level message and the QoS class", () => {
  const status = generatePodStatus(
    makePod(),
    observed([]),
    input({ message: "volume data: no such directory" }),
  );
  assert.equal(status.message, "volume data: no such directory");
  assert.equal(status.qosClass, "BestEffort");
});

test("generatePodStatus calls a pod Running while its sidecar and app containers run", () => {
  const pod = makePod({ initContainers: [{ name: "proxy", image: "x", restartPolicy: "Always" }] });
  const status = generatePodStatus(
    pod,
    observed([running("proxy", { kind: "init" }), running("app")]),
    input(),
  );
  assert.equal(status.phase, "Running");
  assert.equal(cond(status, "Initialized").status, "True");
});

test("generatePodStatus calls a succeeded pod Initialized even when its sidecar is down", () => {
  const pod = makePod({
    restartPolicy: "Never",
    initContainers: [{ name: "proxy", image: "x", restartPolicy: "Always" }],
  });
  const status = generatePodStatus(
    pod,
    observed([exited("proxy", 137, { kind: "init" }), exited("app", 0)]),
    input(),
  );
  assert.equal(status.phase, "Succeeded");
  assert.equal(cond(status, "Initialized").status, "True");
});

test("generatePodStatus shows app containers waiting in PodInitializing while an init container runs", () => {
  const pod = makePod({ initContainers: [{ name: "init", image: "x" }] });
  const status = generatePodStatus(pod, observed([running("init", { kind: "init" })]), input());
  assert.deepEqual(status.containerStatuses?.[0].state, { waiting: { reason: "PodInitializing" } });
  assert.equal(status.phase, "Pending");
});
