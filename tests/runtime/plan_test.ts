import { test } from "node:test";
import assert from "node:assert/strict";
import type { Container, Pod, PodSpec } from "../../src/api/types.ts";
import { containerHash } from "../../src/runtime/container_hash.ts";
import type { ObservedContainer, ObservedPod } from "../../src/runtime/observed.ts";
import { computePodActions, type PodActions, shouldRestart } from "../../src/runtime/plan.ts";

const T0 = Date.parse("2024-05-06T07:00:00Z");
/** The ISO time `s` seconds after T0. */
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
/** The planner's clock `s` seconds after T0. */
const now = (s: number) => ({ now: T0 + s * 1000 });

/** A static pod `web` in `default`; `spec` replaces parts of its spec. */
function makePod(spec: Partial<PodSpec> = {}, uid = "uid-1"): Pod {
  return {
    metadata: { name: "web", namespace: "default", uid },
    spec: { containers: [{ name: "app", image: "nginx:1.27" }], ...spec },
  };
}

function specOf(pod: Pod, name: string): Container {
  return [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === name)!;
}

/** A running infra container of `pod`. */
function sandbox(pod: Pod, over: Partial<ObservedContainer> = {}): ObservedContainer {
  return {
    id: "s1",
    name: "POD",
    kind: "sandbox",
    podName: pod.metadata.name!,
    podNamespace: pod.metadata.namespace!,
    podUid: pod.metadata.uid!,
    state: "running",
    createdAt: at(0),
    startedAt: at(0),
    hash: "",
    restartCount: 0,
    backoffSeconds: 0,
    attempt: 0,
    image: "standalone-kubelet/pause:1.0",
    imageID: "sha256:pause",
    gracePeriodSeconds: 30,
    ip: "172.17.0.2",
    ...over,
  };
}

/** A running instance of `pod`'s container `name` in sandbox s1, with the hash of its current spec. */
function running(pod: Pod, name: string, over: Partial<ObservedContainer> = {}): ObservedContainer {
  const spec = specOf(pod, name);
  return {
    id: `${name}-0`,
    name,
    kind: pod.spec.initContainers?.includes(spec) ? "init" : "app",
    podName: pod.metadata.name!,
    podNamespace: pod.metadata.namespace!,
    podUid: pod.metadata.uid!,
    sandboxId: "s1",
    state: "running",
    createdAt: at(1),
    startedAt: at(1),
    hash: containerHash(spec),
    restartCount: 0,
    backoffSeconds: 0,
    attempt: 0,
    image: spec.image,
    imageID: "sha256:image",
    gracePeriodSeconds: 30,
    ...over,
  };
}

/** An instance of `name` that exited with `exitCode` at second `finished`. */
function exited(
  pod: Pod,
  name: string,
  exitCode: number,
  finished: number,
  over: Partial<ObservedContainer> = {},
): ObservedContainer {
  return running(pod, name, { state: "exited", exitCode, finishedAt: at(finished), ...over });
}

function observed(sandboxes: ObservedContainer[], containers: ObservedContainer[]): ObservedPod {
  return { name: "web", namespace: "default", sandboxes, containers };
}

const startNames = (a: PodActions) => a.containersToStart.map((s) => s.name);
const killIds = (a: PodActions) => a.containersToKill.map((k) => k.id);

test("computePodActions creates a sandbox and starts every container of a new pod with restartCount 0", () => {
  const pod = makePod({ containers: [{ name: "a", image: "busybox" }, { name: "b", image: "busybox" }] });
  const actions = computePodActions(pod, undefined, now(0));
  assert.equal(actions.createSandbox, true);
  assert.equal(actions.attempt, 0);
  assert.deepEqual(actions.containersToStart, [
    { name: "a", kind: "app", restartCount: 0, backoffSeconds: 0 },
    { name: "b", kind: "app", restartCount: 0, backoffSeconds: 0 },
  ]);
  assert.deepEqual(actions.containersToKill, []);
  assert.equal(actions.cleanupVolumes, false);
});

test("computePodActions does nothing for a running pod that matches its spec", () => {
  const pod = makePod();
  const actions = computePodActions(pod, observed([sandbox(pod)], [running(pod, "app")]), now(60));
  assert.deepEqual(actions, {
    containersToKill: [],
    containersToRemove: [],
    createSandbox: false,
    attempt: 0,
    sandboxId: "s1",
    containersToStart: [],
    backingOff: {},
    cleanupVolumes: false,
  });
});

test("computePodActions restarts a container whose spec hash changed", () => {
  const pod = makePod();
  const old = containerHash({ name: "app", image: "nginx:1.26" });
  const actions = computePodActions(
    pod,
    observed([sandbox(pod)], [running(pod, "app", { hash: old, restartCount: 2 })]),
    now(60),
  );
  assert.equal(actions.createSandbox, false);
  assert.deepEqual(actions.containersToKill.map((k) => [k.id, k.remove]), [["app-0", false]]);
  assert.deepEqual(actions.containersToStart.map((s) => [s.name, s.restartCount]), [["app", 3]]);
});

test("computePodActions restarts a container whose consumed ConfigMaps or Secrets changed, when given their digests", () => {
  const pod = makePod();
  const spec = specOf(pod, "app");
  const made = running(pod, "app", { hash: containerHash(spec, "d1"), restartCount: 1 });
  const same = computePodActions(pod, observed([sandbox(pod)], [made]), {
    ...now(60),
    configDigests: { app: "d1" },
  });
  assert.deepEqual([killIds(same), startNames(same)], [[], []]);
  assert.deepEqual(same.configDigests, { app: "d1" });
  const changed = computePodActions(pod, observed([sandbox(pod)], [made]), {
    ...now(60),
    configDigests: { app: "d2" },
  });
  assert.deepEqual(changed.containersToKill.map((k) => [k.id, k.reason]), [[
    "app-0",
    "container spec changed",
  ]]);
  assert.deepEqual(changed.containersToStart.map((s) => [s.name, s.restartCount]), [["app", 2]]);
  assert.deepEqual(changed.configDigests, { app: "d2" });
});

test("computePodActions leaves a container made without a digest alone when none is given", () => {
  const pod = makePod();
  const actions = computePodActions(pod, observed([sandbox(pod)], [running(pod, "app")]), {
    ...now(60),
    configDigests: {},
  });
  assert.deepEqual([killIds(actions), startNames(actions), actions.configDigests], [[], [], undefined]);
});

test("computePodActions restarts a changed container even under restartPolicy Never", () => {
  const pod = makePod({ restartPolicy: "Never" });
  const actions = computePodActions(
    pod,
    observed([sandbox(pod)], [running(pod, "app", { hash: "0" })]),
    now(60),
  );
  assert.deepEqual(killIds(actions), ["app-0"]);
  assert.deepEqual(startNames(actions), ["app"]);
});

test("computePodActions kills and removes everything of a removed pod, containers before the infra container", () => {
  const pod = makePod();
  const obs = observed(
    [sandbox(pod)],
    [running(pod, "app", { id: "app-1" }), exited(pod, "app", 1, 5, { id: "app-0" })],
  );
  const actions = computePodActions(null, obs, now(60));
  assert.deepEqual(killIds(actions), ["app-1", "app-0", "s1"]);
  assert.ok(actions.containersToKill.every((k) => k.remove));
  assert.equal(actions.cleanupVolumes, true);
  assert.equal(actions.createSandbox, false);
  assert.deepEqual(actions.containersToStart, []);
});

test("computePodActions cleans up the volumes of a removed pod that has no containers left", () => {
  const actions = computePodActions(null, undefined, now(0));
  assert.deepEqual(actions.containersToKill, []);
  assert.equal(actions.cleanupVolumes, true);
});

test("computePodActions replaces the containers of an earlier pod version (another UID) with a new sandbox", () => {
  const before = makePod({}, "uid-old");
  const after = makePod({ containers: [{ name: "app", image: "nginx:1.28" }] }, "uid-new");
  const obs = observed([sandbox(before, { attempt: 4 })], [running(before, "app")]);
  const actions = computePodActions(after, obs, now(60));
  assert.deepEqual(actions.containersToKill.map((k) => [k.id, k.remove]), [["app-0", true], ["s1", true]]);
  assert.equal(actions.createSandbox, true);
  assert.equal(actions.attempt, 0);
  assert.deepEqual(actions.containersToStart, [{
    name: "app",
    kind: "app",
    restartCount: 0,
    backoffSeconds: 0,
  }]);
});

test("computePodActions makes a new sandbox (attempt + 1) when the infra container died, killing running containers", () => {
  const pod = makePod();
  const obs = observed(
    [sandbox(pod, { state: "exited", exitCode: 137, finishedAt: at(30), attempt: 2 })],
    [running(pod, "app", { restartCount: 1 })],
  );
  const actions = computePodActions(pod, obs, now(60));
  assert.equal(actions.createSandbox, true);
  assert.equal(actions.attempt, 3);
  assert.deepEqual(actions.containersToKill.map((k) => [k.id, k.remove]), [["app-0", false]]);
  assert.deepEqual(actions.containersToStart.map((s) => [s.name, s.restartCount]), [["app", 2]]);
});

test("computePodActions with a new sandbox under OnFailure does not restart containers that succeeded", () => {
  const pod = makePod({
    restartPolicy: "OnFailure",
    containers: [{ name: "done", image: "busybox" }, { name: "crashed", image: "busybox" }],
  });
  const obs = observed(
    [sandbox(pod, { state: "exited", exitCode: 0, finishedAt: at(30) })],
    [exited(pod, "done", 0, 10), exited(pod, "crashed", 1, 10)],
  );
  const actions = computePodActions(pod, obs, now(60));
  assert.equal(actions.createSandbox, true);
  assert.deepEqual(startNames(actions), ["crashed"]);
});

test("computePodActions under restartPolicy Never does not make a new sandbox for a pod whose containers ran", () => {
  const pod = makePod({ restartPolicy: "Never" });
  const obs = observed(
    [sandbox(pod, { state: "exited", exitCode: 137, finishedAt: at(30) })],
    [running(pod, "app")],
  );
  const actions = computePodActions(pod, obs, now(60));
  assert.equal(actions.createSandbox, false);
  assert.deepEqual(startNames(actions), []);
  assert.ok(killIds(actions).includes("app-0"));
});

const policyCases: { policy: "Always" | "OnFailure" | "Never"; exitCode: number; restart: boolean }[] = [
  { policy: "Always", exitCode: 0, restart: true },
  { policy: "Always", exitCode: 1, restart: true },
  { policy: "OnFailure", exitCode: 0, restart: false },
  { policy: "OnFailure", exitCode: 1, restart: true },
  { policy: "Never", exitCode: 0, restart: false },
  { policy: "Never", exitCode: 1, restart: false },
];

for (const { policy, exitCode, restart } of policyCases) {
  test(`shouldRestart under restartPolicy ${policy} is ${restart} for exit code ${exitCode}`, () => {
    const pod = makePod({ restartPolicy: policy });
    assert.equal(shouldRestart(pod, exited(pod, "app", exitCode, 10)), restart);
  });

  test(`computePodActions under restartPolicy ${policy} ${restart ? "restarts" : "leaves"} a container that exited ${exitCode}`, () => {
    // A second container keeps running, so the pod itself is not finished.
    const pod = makePod({
      restartPolicy: policy,
      containers: [{ name: "app", image: "busybox" }, { name: "keep", image: "busybox" }],
    });
    const obs = observed([sandbox(pod)], [exited(pod, "app", exitCode, 10), running(pod, "keep")]);
    const actions = computePodActions(pod, obs, now(60));
    assert.deepEqual(startNames(actions), restart ? ["app"] : []);
    assert.deepEqual(actions.containersToKill, []);
  });
}

test("shouldRestart restarts a sidecar (container restartPolicy Always) whatever the pod's policy", () => {
  const pod = makePod({ restartPolicy: "Never" });
  const sidecar: Container = { name: "app", image: "busybox", restartPolicy: "Always" };
  assert.equal(shouldRestart(pod, exited(pod, "app", 0, 10), sidecar), true);
});

test("computePodActions restarts a container at once after its first crash, and records a 10 s backoff", () => {
  const pod = makePod();
  const obs = observed([sandbox(pod)], [exited(pod, "app", 1, 5)]);
  const actions = computePodActions(pod, obs, now(5));
  assert.deepEqual(actions.containersToStart, [{
    name: "app",
    kind: "app",
    restartCount: 1,
    backoffSeconds: 10,
  }]);
  assert.deepEqual(actions.backingOff, {});
});

test("computePodActions holds a crash-looping container in CrashLoopBackOff, measured from finishedAt", () => {
  const pod = makePod();
  const obs = observed([sandbox(pod)], [exited(pod, "app", 1, 100, { restartCount: 1, backoffSeconds: 10 })]);
  const actions = computePodActions(pod, obs, now(104));
  assert.deepEqual(actions.containersToStart, []);
  assert.deepEqual(actions.backingOff, {
    app: {
      reason: "CrashLoopBackOff",
      message: "back-off 10s restarting failed container=app pod=web_default(uid-1)",
    },
  });
  assert.equal(actions.resyncAfterMs, 6000);
});

test("computePodActions restarts a crash-looping container once its backoff is over, doubling the next one", () => {
  const pod = makePod();
  const obs = observed([sandbox(pod)], [exited(pod, "app", 1, 100, { restartCount: 1, backoffSeconds: 10 })]);
  const actions = computePodActions(pod, obs, now(110));
  assert.deepEqual(actions.containersToStart, [{
    name: "app",
    kind: "app",
    restartCount: 2,
    backoffSeconds: 20,
  }]);
  assert.equal(actions.resyncAfterMs, undefined);
});

test("computePodActions writes the backoff in the backingOff message as Go prints a duration", () => {
  const pod = makePod();
  const obs = observed([sandbox(pod)], [
    exited(pod, "app", 1, 100, { restartCount: 7, backoffSeconds: 300 }),
  ]);
  const actions = computePodActions(pod, obs, now(101));
  assert.equal(
    actions.backingOff.app?.message,
    "back-off 5m0s restarting failed container=app pod=web_default(uid-1)",
  );
});

test("computePodActions asks for a resync when the earliest of several backoffs ends", () => {
  const pod = makePod({ containers: [{ name: "a", image: "busybox" }, { name: "b", image: "busybox" }] });
  const obs = observed([sandbox(pod)], [
    exited(pod, "a", 1, 100, { backoffSeconds: 40 }),
    exited(pod, "b", 1, 100, { backoffSeconds: 20 }),
  ]);
  const actions = computePodActions(pod, obs, now(105));
  assert.deepEqual(Object.keys(actions.backingOff).sort(), ["a", "b"]);
  assert.equal(actions.resyncAfterMs, 15_000);
});

test("computePodActions forgets the backoff of a container that ran for 10 minutes", () => {
  const pod = makePod();
  const obs = observed([sandbox(pod)], [
    exited(pod, "app", 1, 601, { startedAt: at(1), restartCount: 9, backoffSeconds: 300 }),
  ]);
  const actions = computePodActions(pod, obs, now(602));
  assert.deepEqual(actions.containersToStart, [{
    name: "app",
    kind: "app",
    restartCount: 10,
    backoffSeconds: 10,
  }]);
});

test("computePodActions removes a container that was created but never started before starting it again", () => {
  const pod = makePod();
  const obs = observed([sandbox(pod)], [
    running(pod, "app", { state: "created", startedAt: undefined, exitCode: 128, error: "exec: not found" }),
  ]);
  const actions = computePodActions(pod, obs, now(60));
  assert.deepEqual(actions.containersToRemove, ["app-0"]);
  assert.deepEqual(actions.containersToStart.map((s) => [s.name, s.restartCount]), [["app", 1]]);
});

test("computePodActions garbage-collects dead instances older than the newest dead one", () => {
  const pod = makePod();
  const obs = observed([sandbox(pod)], [
    exited(pod, "app", 1, 30, { id: "app-2", restartCount: 2, backoffSeconds: 20 }),
    exited(pod, "app", 1, 20, { id: "app-1", restartCount: 1 }),
    exited(pod, "app", 1, 10, { id: "app-0" }),
  ]);
  const actions = computePodActions(pod, obs, now(35));
  assert.deepEqual(actions.containersToRemove, ["app-1", "app-0"]);
});

test("computePodActions keeps the newest dead instance while a newer one runs (it is the lastState)", () => {
  const pod = makePod();
  const obs = observed([sandbox(pod)], [
    running(pod, "app", { id: "app-2", restartCount: 2 }),
    exited(pod, "app", 1, 20, { id: "app-1", restartCount: 1 }),
    exited(pod, "app", 1, 10, { id: "app-0" }),
  ]);
  const actions = computePodActions(pod, obs, now(60));
  assert.deepEqual(actions.containersToRemove, ["app-0"]);
});

test("computePodActions removes dead old sandboxes that no kept container belongs to", () => {
  const pod = makePod();
  const obs = observed(
    [
      sandbox(pod, { id: "s2", attempt: 1 }),
      sandbox(pod, { id: "s1", state: "exited", exitCode: 0, finishedAt: at(5) }),
    ],
    [running(pod, "app", { sandboxId: "s2" })],
  );
  const actions = computePodActions(pod, obs, now(60));
  assert.deepEqual(actions.containersToRemove, ["s1"]);
  assert.equal(actions.sandboxId, "s2");
});

/** A pod with two init containers and one app container. */
const initPod = (restartPolicy: "Always" | "OnFailure" | "Never" = "Always") =>
  makePod({
    restartPolicy,
    initContainers: [{ name: "init-1", image: "busybox" }, { name: "init-2", image: "busybox" }],
  });

test("computePodActions starts only the first init container of a new pod", () => {
  const actions = computePodActions(initPod(), undefined, now(0));
  assert.equal(actions.createSandbox, true);
  assert.deepEqual(actions.containersToStart, [{
    name: "init-1",
    kind: "init",
    restartCount: 0,
    backoffSeconds: 0,
  }]);
});

const initCases: { name: string; containers: (pod: Pod) => ObservedContainer[]; start: string[] }[] = [
  { name: "waits while the first init container runs", containers: (p) => [running(p, "init-1")], start: [] },
  {
    name: "starts the second init container after the first succeeded",
    containers: (p) => [exited(p, "init-1", 0, 10)],
    start: ["init-2"],
  },
  {
    name: "starts app containers once every init container succeeded",
    containers: (p) => [exited(p, "init-2", 0, 20, { id: "init-2-0" }), exited(p, "init-1", 0, 10)],
    start: ["app"],
  },
  {
    name: "restarts a failed init container before anything after it",
    containers: (p) => [exited(p, "init-1", 1, 10)],
    start: ["init-1"],
  },
];

for (const { name, containers, start } of initCases) {
  test(`computePodActions ${name}`, () => {
    const pod = initPod();
    const actions = computePodActions(pod, observed([sandbox(pod)], containers(pod)), now(60));
    assert.deepEqual(startNames(actions), start);
    assert.deepEqual(actions.containersToKill, []);
  });
}

test("computePodActions starts nothing more after an init container failed under restartPolicy Never", () => {
  const pod = initPod("Never");
  const actions = computePodActions(pod, observed([sandbox(pod)], [exited(pod, "init-1", 1, 10)]), now(60));
  assert.deepEqual(actions.containersToStart, []);
  assert.equal(actions.createSandbox, false);
});

/** A pod with a sidecar (init container with restartPolicy Always), a plain init container and an app. */
const sidecarPod = (restartPolicy: "Always" | "Never" = "Always") =>
  makePod({
    restartPolicy,
    initContainers: [
      { name: "proxy", image: "envoy", restartPolicy: "Always" },
      { name: "migrate", image: "busybox" },
    ],
  });

test("computePodActions starts a sidecar init container first and no app container before initialisation", () => {
  const actions = computePodActions(sidecarPod(), undefined, now(0));
  assert.deepEqual(actions.containersToStart[0], {
    name: "proxy",
    kind: "init",
    restartCount: 0,
    backoffSeconds: 0,
  });
  assert.ok(!startNames(actions).includes("app"));
});

test("computePodActions keeps a running sidecar and starts app containers after the other init containers", () => {
  const pod = sidecarPod();
  const obs = observed([sandbox(pod)], [running(pod, "proxy"), exited(pod, "migrate", 0, 10)]);
  const actions = computePodActions(pod, obs, now(60));
  assert.deepEqual(startNames(actions), ["app"]);
  assert.deepEqual(actions.containersToKill, []);
});

test("computePodActions restarts an exited sidecar even under restartPolicy Never", () => {
  const pod = sidecarPod("Never");
  const obs = observed([sandbox(pod)], [
    exited(pod, "proxy", 1, 30),
    exited(pod, "migrate", 0, 10),
    running(pod, "app"),
  ]);
  const actions = computePodActions(pod, obs, now(60));
  assert.deepEqual(startNames(actions), ["proxy"]);
});

test("computePodActions kills and restarts a container whose liveness probe failed", () => {
  const pod = makePod();
  const obs = observed([sandbox(pod)], [running(pod, "app", { restartCount: 4 })]);
  const actions = computePodActions(pod, obs, { ...now(60), unhealthy: new Set(["app-0"]) });
  assert.deepEqual(actions.containersToKill.map((k) => [k.id, k.remove]), [["app-0", false]]);
  assert.deepEqual(actions.containersToStart.map((s) => [s.name, s.restartCount]), [["app", 5]]);
});

test("computePodActions leaves healthy containers alone when another one is unhealthy", () => {
  const pod = makePod({ containers: [{ name: "a", image: "busybox" }, { name: "b", image: "busybox" }] });
  const obs = observed([sandbox(pod)], [running(pod, "a"), running(pod, "b")]);
  const actions = computePodActions(pod, obs, { ...now(60), unhealthy: new Set(["b-0"]) });
  assert.deepEqual(killIds(actions), ["b-0"]);
  assert.deepEqual(startNames(actions), ["b"]);
});

test("computePodActions kills but does not restart an unhealthy container under restartPolicy Never", () => {
  const pod = makePod({ restartPolicy: "Never" });
  const obs = observed([sandbox(pod)], [running(pod, "app")]);
  const actions = computePodActions(pod, obs, { ...now(60), unhealthy: new Set(["app-0"]) });
  // With nothing left to run, the infra container may go too, as the kubelet's KillPod does.
  assert.ok(killIds(actions).includes("app-0"));
  assert.deepEqual(actions.containersToStart, []);
});

test("computePodActions does not bring back a finished pod (OnFailure, every container exited 0)", () => {
  const pod = makePod({ restartPolicy: "OnFailure" });
  const obs = observed(
    [sandbox(pod, { state: "exited", exitCode: 0, finishedAt: at(30) })],
    [exited(pod, "app", 0, 20)],
  );
  const actions = computePodActions(pod, obs, now(60));
  assert.equal(actions.createSandbox, false);
  assert.deepEqual(actions.containersToStart, []);
  assert.deepEqual(actions.backingOff, {});
});

test("computePodActions stops the infra container once every container finished for good", () => {
  const pod = makePod({ restartPolicy: "OnFailure" });
  const obs = observed([sandbox(pod)], [exited(pod, "app", 0, 20)]);
  const actions = computePodActions(pod, obs, now(60));
  assert.deepEqual(actions.containersToStart, []);
  assert.deepEqual(killIds(actions), ["s1"]);
});

test("computePodActions keeps the infra container while the pod's only container waits out its CrashLoopBackOff", () => {
  const pod = makePod();
  const obs = observed([sandbox(pod)], [exited(pod, "app", 1, 55, { restartCount: 3, backoffSeconds: 40 })]);
  const actions = computePodActions(pod, obs, now(60));
  assert.deepEqual(Object.keys(actions.backingOff), ["app"]);
  assert.deepEqual(killIds(actions), [], "the pod's network namespace outlives the backoff");
  assert.equal(actions.createSandbox, false);
});

test("computePodActions holds a created-but-never-started container in its backoff too", () => {
  const pod = makePod();
  const obs = observed([sandbox(pod)], [
    running(pod, "app", {
      state: "created",
      startedAt: undefined,
      createdAt: at(55),
      finishedAt: at(55),
      restartCount: 2,
      backoffSeconds: 20,
      exitCode: 128,
    }),
  ]);
  const actions = computePodActions(pod, obs, now(60));
  assert.deepEqual(Object.keys(actions.backingOff), ["app"]);
  assert.deepEqual(actions.containersToStart, []);
});

test("computePodActions restarts a container whose liveness probe failed under restartPolicy OnFailure", () => {
  const pod = makePod({ restartPolicy: "OnFailure" });
  const obs = observed([sandbox(pod)], [running(pod, "app", { restartCount: 1 })]);
  const actions = computePodActions(pod, obs, { ...now(60), unhealthy: new Set(["app-0"]) });
  assert.deepEqual(killIds(actions), ["app-0"]);
  assert.deepEqual(actions.containersToStart.map((s) => [s.name, s.restartCount]), [["app", 2]]);
});

for (
  const [name, restartPolicy, expectSandbox] of [
    ["Always", "Always", true],
    ["OnFailure", "OnFailure", true],
    ["Never, after its containers ran", "Never", false],
  ] as const
) {
  test(
    `computePodActions kills a pod with two running infra containers and ${
      expectSandbox ? "starts it over in a new one" : "does not start it again"
    } (restartPolicy ${name})`,
    () => {
      const pod = makePod({ restartPolicy });
      const obs = observed(
        [sandbox(pod, { id: "s2", attempt: 1, createdAt: at(5) }), sandbox(pod)],
        [running(pod, "app", { sandboxId: "s2" })],
      );
      const actions = computePodActions(pod, obs, now(60));
      assert.deepEqual(actions.containersToKill.map((k) => [k.id, k.reason, k.remove]), [
        ["app-0", "pod sandbox changed", false],
        ["s2", "pod sandbox changed", false],
        ["s1", "pod sandbox changed", false],
      ]);
      assert.equal(actions.createSandbox, expectSandbox);
      if (expectSandbox) {
        assert.equal(actions.attempt, 2);
        assert.deepEqual(actions.containersToStart.map((s) => [s.name, s.restartCount]), [["app", 1]]);
      } else assert.deepEqual(actions.containersToStart, []);
    },
  );
}

test("computePodActions kills an older running infra container when the newest one died, and makes a new one", () => {
  const pod = makePod();
  const obs = observed(
    [sandbox(pod, { id: "s2", attempt: 1, state: "exited", createdAt: at(5) }), sandbox(pod)],
    [exited(pod, "app", 137, 50, { sandboxId: "s2" })],
  );
  const actions = computePodActions(pod, obs, now(60));
  assert.deepEqual(killIds(actions), ["s1"]);
  assert.equal(actions.createSandbox, true);
  assert.equal(actions.attempt, 2);
  assert.deepEqual(startNames(actions), ["app"]);
});

test("computePodActions leaves one running infra container alone among dead older ones", () => {
  const pod = makePod();
  const obs = observed(
    [sandbox(pod, { id: "s2", attempt: 1, createdAt: at(5) }), sandbox(pod, { state: "exited" })],
    [running(pod, "app", { sandboxId: "s2" })],
  );
  const actions = computePodActions(pod, obs, now(60));
  assert.deepEqual(actions.containersToKill, []);
  assert.equal(actions.createSandbox, false);
  assert.equal(actions.sandboxId, "s2");
});

for (const restartPolicy of ["Never", "OnFailure", "Always"] as const) {
  test(`computePodActions starts again an init container created but never started (restartPolicy ${restartPolicy})`, () => {
    const pod = makePod({ restartPolicy, initContainers: [{ name: "init", image: "busybox" }] });
    const obs = observed([sandbox(pod)], [running(pod, "init", { state: "created", startedAt: undefined })]);
    const actions = computePodActions(pod, obs, now(60));
    assert.deepEqual(actions.containersToRemove, ["init-0"]);
    assert.deepEqual(actions.containersToStart.map((s) => [s.name, s.kind]), [["init", "init"]]);
  });
}

test("computePodActions does not run again a failed init container of a restartPolicy Never pod", () => {
  const pod = makePod({ restartPolicy: "Never", initContainers: [{ name: "init", image: "busybox" }] });
  const obs = observed([sandbox(pod)], [exited(pod, "init", 1, 30)]);
  const actions = computePodActions(pod, obs, now(60));
  assert.deepEqual(actions.containersToStart, []);
  assert.deepEqual(actions.containersToRemove, []);
});

test("computePodActions starts a container whose spec changed with a fresh backoff", () => {
  const pod = makePod();
  const old = containerHash({ name: "app", image: "nginx:1.26" });
  const obs = observed([sandbox(pod)], [
    running(pod, "app", { hash: old, restartCount: 5, backoffSeconds: 80 }),
  ]);
  const actions = computePodActions(pod, obs, now(60));
  assert.deepEqual(actions.containersToStart, [{
    name: "app",
    kind: "app",
    restartCount: 6,
    backoffSeconds: 0,
  }]);
});

test("computePodActions starts nothing after a sidecar that waits out its backoff", () => {
  const pod = sidecarPod();
  const obs = observed([sandbox(pod)], [
    exited(pod, "proxy", 1, 50, { restartCount: 1, backoffSeconds: 20 }),
  ]);
  const actions = computePodActions(pod, obs, now(55));
  assert.deepEqual(Object.keys(actions.backingOff), ["proxy"]);
  assert.deepEqual(actions.containersToStart, []);
});

test("computePodActions asks for a resync at the earliest backoff's end whatever the containers' order", () => {
  const pod = makePod({ containers: [{ name: "a", image: "busybox" }, { name: "b", image: "busybox" }] });
  const obs = observed([sandbox(pod)], [
    exited(pod, "a", 1, 100, { backoffSeconds: 20 }),
    exited(pod, "b", 1, 100, { backoffSeconds: 40 }),
  ]);
  const actions = computePodActions(pod, obs, now(105));
  assert.deepEqual(Object.keys(actions.backingOff).sort(), ["a", "b"]);
  assert.equal(actions.resyncAfterMs, 15_000);
});

test("computePodActions keeps a dead old sandbox that the kept dead container belongs to", () => {
  const pod = makePod();
  const obs = observed(
    [
      sandbox(pod, { id: "s2", attempt: 1 }),
      sandbox(pod, { id: "s1", state: "exited", exitCode: 0, finishedAt: at(5) }),
    ],
    // The new instance runs in s2; the last dead one (its lastState) still names s1.
    [running(pod, "app", { id: "app-1", sandboxId: "s2" }), exited(pod, "app", 1, 5, { sandboxId: "s1" })],
  );
  const actions = computePodActions(pod, obs, now(60));
  assert.deepEqual(actions.containersToRemove, []);
  assert.equal(actions.sandboxId, "s2");
});
