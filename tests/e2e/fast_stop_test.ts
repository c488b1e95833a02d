/**
 * Stopping at once what cannot hear its stop signal, end to end: a PID 1
 * without a SIGTERM handler is killed as soon as its preStop hook is done; one
 * with a handler keeps its grace period. Times come from the Engine's own
 * event stream (the stop signal's `kill` event, the `die` event).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, rm, writeFile } from "node:fs/promises";
import type { ContainerStatus, Pod } from "../../src/api/types.ts";
import { nginx } from "../testdata/walkthrough_pod.ts";
import { docker, getPod, nodeContainers, startKubelet, waitFor, withNode } from "./_harness.ts";

/** One container event of the Engine's `/events` (`docker events --format '{{json .}}'`). */
interface EngineEvent {
  Action: string;
  Actor: { Attributes: Record<string, string> };
  timeNano: number;
}

/** The Engine's container events for `node` between `sinceMs` and now, oldest first. */
async function nodeEvents(node: string, sinceMs: number): Promise<EngineEvent[]> {
  const out = await docker(
    "events",
    "--since",
    (sinceMs / 1000).toFixed(3),
    "--until",
    (Date.now() / 1000 + 1).toFixed(3),
    "--filter",
    "type=container",
    "--filter",
    `label=io.kubernetes.standalone.node=${node}`,
    "--format",
    "{{json .}}",
  );
  return out ? out.split("\n").map((l) => JSON.parse(l)) : [];
}

/** The first event `action` (with `signal` for `kill`) of the container named `name` in the pod spec. */
function eventOf(events: EngineEvent[], name: string, action: string, signal?: string): EngineEvent {
  const e = events.find((e) =>
    e.Actor.Attributes["io.kubernetes.container.name"] === name && e.Action === action &&
    (signal === undefined || e.Actor.Attributes.signal === signal)
  );
  assert.ok(e, `a ${action}${signal ? ` ${signal}` : ""} event for ${name}`);
  return e;
}

const ms = (e: EngineEvent) => e.timeNano / 1e6;
const noContainers = (node: string) => async () => (await nodeContainers(node, true)).length === 0;
const status = (p: Pod | undefined, name = "main"): ContainerStatus | undefined =>
  p?.status?.containerStatuses?.find((c) => c.name === name);

test("the seed pod goes away well within its 30 s grace period: the shell sidecar is killed at once", () =>
  withNode("fast-seed", 18391, async ({ node, port, manifests, kubelet }) => {
    await writeFile(`${manifests}/nginx.json`, JSON.stringify(nginx()));
    await waitFor(
      "the pod Running",
      async () => (await getPod(port, `nginx-${node}`))?.status?.phase === "Running",
      { timeoutMs: 60_000 },
    );
    const removed = Date.now();
    await rm(`${manifests}/nginx.json`);
    await waitFor("every container gone", noContainers(node), { timeoutMs: 40_000 });
    const took = Date.now() - removed;
    assert.ok(took < 10_000, `gone after ${took} ms, the grace period is 30 s`);
    assert.match(
      kubelet.logs(),
      new RegExp(`container log-truncator of pod nginx-${node}: its PID 1 does not handle SIGTERM`),
    );
    // nginx catches its image's SIGQUIT: it stops on its own, with its full grace period.
    assert.doesNotMatch(kubelet.logs(), /container nginx of pod .*killing it without waiting/);
    // The pause program waits for SIGTERM in rt_sigtimedwait: it hears it, though /proc's SigBlk reads 0.
    assert.doesNotMatch(kubelet.logs(), /container POD of pod .*killing it without waiting/);
    const events = await nodeEvents(node, removed - 1000);
    assert.equal(eventOf(events, "log-truncator", "die").Actor.Attributes.exitCode, "137");
    assert.equal(eventOf(events, "nginx", "die").Actor.Attributes.exitCode, "0");
  }));

test("a PID 1 that handles SIGTERM keeps its grace period: 3 s to exit with its own code, or SIGKILL at the end", () =>
  withNode("fast-grace", 18392, async ({ node, port, manifests, kubelet }) => {
    await writeFile(
      `${manifests}/grace.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: grace}
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - name: slow
    image: busybox
    imagePullPolicy: Never
    command: [sh, -c, "trap 'sleep 3; exit 7' TERM; echo trapped; while true; do sleep 0.2; done"]
  - name: stubborn
    image: busybox
    imagePullPolicy: Never
    command: [sh, -c, "trap 'echo not yet' TERM; echo trapped; while true; do sleep 0.2; done"]
`,
    );
    await waitFor(
      "the pod Running",
      async () => (await getPod(port, `grace-${node}`))?.status?.phase === "Running",
      { timeoutMs: 60_000 },
    );
    // Until a shell has run `trap`, SIGTERM would be dropped: stop them only once both handle it.
    for (const name of ["slow", "stubborn"]) {
      await waitFor(`${name}'s trap set`, async () => {
        const id = await docker(
          "ps",
          "-q",
          "--filter",
          `label=io.kubernetes.standalone.node=${node}`,
          "--filter",
          `label=io.kubernetes.container.name=${name}`,
        );
        return id !== "" && (await docker("logs", id)).includes("trapped");
      });
    }
    const removed = Date.now();
    await rm(`${manifests}/grace.yaml`);
    await waitFor("every container gone", noContainers(node), { timeoutMs: 30_000 });
    const events = await nodeEvents(node, removed - 1000);
    for (const name of ["slow", "stubborn"]) {
      assert.doesNotMatch(
        kubelet.logs(),
        new RegExp(`container ${name} of pod .*killing it without waiting`),
      );
    }
    const slowTerm = ms(eventOf(events, "slow", "kill", "15"));
    const slowDie = eventOf(events, "slow", "die");
    assert.ok(ms(slowDie) - slowTerm >= 3_000, `slow died ${ms(slowDie) - slowTerm} ms after SIGTERM`);
    assert.equal(slowDie.Actor.Attributes.exitCode, "7", "the exit code of its handler");
    const stubbornTerm = ms(eventOf(events, "stubborn", "kill", "15"));
    const stubbornKill = ms(eventOf(events, "stubborn", "kill", "9"));
    const stubbornDie = eventOf(events, "stubborn", "die");
    assert.ok(
      stubbornKill - stubbornTerm >= 4_500,
      `SIGKILL ${stubbornKill - stubbornTerm} ms after SIGTERM`,
    );
    assert.equal(stubbornDie.Actor.Attributes.exitCode, "137");
  }));

test("a preStop hook runs to its end before the deaf PID 1 is killed", () =>
  withNode("fast-prestop", 18393, async ({ node, port, dir, manifests, kubelet }) => {
    const shared = `${dir}/shared`;
    await writeFile(
      `${manifests}/hook.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: hook}
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: [sh, -c, "while true; do sleep 0.2; done"]
    lifecycle:
      preStop: {exec: {command: [sh, -c, "echo begin > /shared/prestop; sleep 2; echo end >> /shared/prestop"]}}
    volumeMounts: [{name: shared, mountPath: /shared}]
  volumes:
  - {name: shared, hostPath: {path: ${shared}, type: DirectoryOrCreate}}
`,
    );
    await waitFor(
      "the pod Running",
      async () => (await getPod(port, `hook-${node}`))?.status?.phase === "Running",
      { timeoutMs: 60_000 },
    );
    const removed = Date.now();
    await rm(`${manifests}/hook.yaml`);
    await waitFor("every container gone", noContainers(node), { timeoutMs: 40_000 });
    const took = Date.now() - removed;
    // The hook's processes die with the container's PID namespace: "end" proves it ran to its end first.
    assert.equal(await readFile(`${shared}/prestop`, "utf8"), "begin\nend\n");
    assert.ok(took < 15_000, `gone after ${took} ms, the grace period is 30 s`);
    assert.match(
      kubelet.logs(),
      new RegExp(`container main of pod hook-${node}: its PID 1 does not handle SIGTERM`),
    );
    assert.equal(
      eventOf(await nodeEvents(node, removed - 1000), "main", "die").Actor.Attributes.exitCode,
      "137",
    );
  }));

test("a liveness failure restarts a shell-PID-1 container at once, not after its 30 s grace period", () =>
  withNode("fast-live", 18394, async ({ node, port, manifests, kubelet }) => {
    await writeFile(
      `${manifests}/live.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: [sh, -c, "touch /tmp/healthy; sleep 2; rm /tmp/healthy; while true; do sleep 0.2; done"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      periodSeconds: 1
      failureThreshold: 1
`,
    );
    const pod = await waitFor("a restart after the liveness failure", async () => {
      const p = await getPod(port, `live-${node}`);
      return (status(p)?.restartCount ?? 0) >= 1 && status(p)?.lastState.terminated &&
        status(p)?.state.running &&
        p;
    }, { timeoutMs: 40_000 });
    const last = status(pod)!.lastState.terminated!;
    assert.match(last.message!, /Container main failed liveness probe, will be restarted/);
    assert.equal(last.exitCode, 137, "the exit code the Engine reports");
    // Healthy for 2 s, one failed probe within a second: the first run lasts about 3 s, not 30 more.
    const lived = Date.parse(last.finishedAt!) - Date.parse(last.startedAt!);
    assert.ok(lived < 15_000, `the first run lasted ${lived} ms`);
    const restartedAfter = Date.parse(status(pod)!.state.running!.startedAt!) - Date.parse(last.finishedAt!);
    assert.ok(restartedAfter < 10_000, `restarted ${restartedAfter} ms after it was killed`);
    assert.match(
      kubelet.logs(),
      new RegExp(`container main of pod live-${node}: its PID 1 does not handle SIGTERM`),
    );
  }));

test("a pod whose manifest went away while the kubelet was down is torn down at once when it starts", () =>
  withNode("fast-down", 18395, async ({ node, port, manifests, rootDir, kubelet }) => {
    let second: Awaited<ReturnType<typeof startKubelet>> | undefined;
    try {
      await writeFile(`${manifests}/nginx.json`, JSON.stringify(nginx()));
      await waitFor(
        "the pod Running",
        async () => (await getPod(port, `nginx-${node}`))?.status?.phase === "Running",
        { timeoutMs: 60_000 },
      );
      await kubelet.stop("SIGKILL");
      await rm(`${manifests}/nginx.json`);
      const started = Date.now();
      second = await startKubelet({ node, port, manifests, rootDir });
      await waitFor("every container gone", noContainers(node), { timeoutMs: 40_000 });
      const took = Date.now() - started;
      assert.ok(took < 15_000, `gone ${took} ms after the start, the grace period is 30 s`);
      assert.match(
        second.logs(),
        new RegExp(`container log-truncator of pod nginx-${node}: its PID 1 does not handle SIGTERM`),
      );
    } finally {
      await second?.stop("SIGKILL");
    }
  }));
