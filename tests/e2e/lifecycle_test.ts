/**
 * Keeping pods running the kubelet's way, end to end: CrashLoopBackOff,
 * liveness and readiness probes, init containers, lifecycle hooks.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import type { ContainerStatus, Pod } from "../../src/api/types.ts";
import { spawn } from "node:child_process";
import { docker, ENGINE_ENDPOINT, getPod, waitFor, withNode } from "./_harness.ts";

/**
 * The Engine's start and die events of `node`'s "main" containers, streamed from now on; `times`
 * maps each container's restartCount label to the event's Engine time (ns), for the events at
 * or after `sinceMs` (leaving out those of a clean-up of an earlier run).
 */
function engineEvents(node: string) {
  const proc = spawn(
    "docker",
    [
      ...(ENGINE_ENDPOINT ? ["-H", ENGINE_ENDPOINT] : []),
      "events",
      "--since",
      String(Math.floor(Date.now() / 1000) - 1),
      "--filter",
      "type=container",
      "--filter",
      `label=io.kubernetes.standalone.node=${node}`,
      "--filter",
      "label=io.kubernetes.container.name=main",
      "--format",
      "{{json .}}",
    ],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  return {
    times(action: "start" | "die", sinceMs: number): Map<number, number> {
      const at = new Map<number, number>();
      for (const line of out.split("\n")) {
        if (!line.trim()) continue;
        const e = JSON.parse(line);
        const n = Number(e.Actor?.Attributes?.["io.kubernetes.container.restartCount"]);
        const t = Number(e.timeNano);
        if (e.Action === action && Number.isInteger(n) && t >= sinceMs * 1e6 && !at.has(n)) at.set(n, t);
      }
      return at;
    },
    stop: () => proc.kill("SIGKILL"),
  };
}

const status = (p: Pod | undefined, name = "main"): ContainerStatus | undefined =>
  p?.status?.containerStatuses?.find((c) => c.name === name);

test("a crashing container restarts at once, then waits 10 s, then 20 s (CrashLoopBackOff)", () =>
  withNode("crashloop", 18381, async ({ node, port, manifests }) => {
    const events = engineEvents(node);
    const written = Date.now();
    try {
      await writeFile(
        `${manifests}/crash.yaml`,
        `apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - {name: main, image: busybox, imagePullPolicy: Never, command: [sh, -c, "exit 1"]}
`,
      );
      // Poll /pods (bounded) for the waiting messages; the restarts' times come from the Engine's
      // own clock (its start and die events for this node's "main" containers), not from the polls.
      // The bound: 30 s of backoff, plus four starts on a possibly loaded machine.
      const messages = new Set<string>();
      let last: ContainerStatus | undefined;
      await waitFor("restartCount 3", async () => {
        last = status(await getPod(port, `crash-${node}`));
        if (last?.state.waiting?.reason === "CrashLoopBackOff") messages.add(last.state.waiting.message!);
        return (last?.restartCount ?? 0) >= 3;
      }, { timeoutMs: 120_000, intervalMs: 200 }).catch((error) => {
        throw new Error(`${error.message}; last status: ${JSON.stringify(last)}`);
      });
      // Attempt n (the container labelled restartCount n) started, and attempt n-1 died, at:
      const started = await waitFor("the start of attempt 3 in the Engine's events", () => {
        const at = events.times("start", written);
        return at.has(3) && at;
      });
      const died = events.times("die", written);
      const gap = (n: number) => (started.get(n)! - died.get(n - 1)!) / 1e6;
      const seen = () => `starts ${[...started]}; deaths ${[...died]}`;
      for (const n of [1, 2, 3]) assert.ok(started.has(n) && died.has(n - 1), seen());
      // The first restart does not wait out the 10 s backoff; the second waits 10 s from the
      // first death, the third 20 s (the kubelet counts from the Engine's FinishedAt: a little slack).
      assert.ok(gap(1) < 10_000, `first restart at once (${gap(1)} ms after the death): ${seen()}`);
      assert.ok(gap(2) >= 9_500, `then a 10 s wait (${gap(2)} ms): ${seen()}`);
      assert.ok(gap(3) >= 19_500, `then a 20 s wait (${gap(3)} ms): ${seen()}`);
      const expected = (s: string) =>
        `back-off ${s} restarting failed container=main pod=crash-${node}_default(`;
      assert.ok([...messages].some((m) => m.startsWith(expected("10s"))), [...messages].join("\n"));
      assert.ok([...messages].some((m) => m.startsWith(expected("20s"))), [...messages].join("\n"));
      const terminated = last!.lastState.terminated ?? last!.state.terminated;
      assert.equal(terminated?.exitCode, 1);
      assert.equal(terminated?.reason, "Error");
      assert.ok(terminated?.startedAt && terminated?.finishedAt);
    } finally {
      events.stop();
    }
  }));

test("a failing liveness probe kills and restarts the container; lastState says why", async () => {
  await withNode("liveness", 18382, async ({ node, port, manifests, kubelet }) => {
    await writeFile(
      `${manifests}/live.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: [sh, -c, "touch /tmp/healthy; sleep 3; rm /tmp/healthy; sleep 1000"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      periodSeconds: 1
      failureThreshold: 2
`,
    );
    const pod = await waitFor("a restart after the liveness failure", async () => {
      const p = await getPod(port, `live-${node}`);
      return (status(p)?.restartCount ?? 0) >= 1 && status(p)?.lastState.terminated && p;
    }, { timeoutMs: 30_000 });
    assert.match(
      status(pod)!.lastState.terminated!.message!,
      /Container main failed liveness probe, will be restarted/,
    );
    assert.match(kubelet.logs(), /Liveness probe failed for container main/);
  });
});

test("a readiness probe drives the container's ready and the pod's Ready condition", async () => {
  await withNode("readiness", 18383, async ({ node, port, manifests }) => {
    await writeFile(
      `${manifests}/ready.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: ready}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: [sleep, "1000"]
    readinessProbe:
      exec: {command: [test, -f, /tmp/ready]}
      periodSeconds: 1
      failureThreshold: 1
`,
    );
    const readyCondition = (p?: Pod) => p?.status?.conditions?.find((c) => c.type === "Ready")?.status;
    const notReady = await waitFor("running but not ready", async () => {
      const p = await getPod(port, `ready-${node}`);
      return p?.status?.phase === "Running" && p;
    });
    assert.equal(status(notReady)?.ready, false);
    assert.equal(readyCondition(notReady), "False");
    const id = status(notReady)!.containerID!.replace("docker://", "");
    await docker("exec", id, "touch", "/tmp/ready");
    await waitFor("ready", async () => readyCondition(await getPod(port, `ready-${node}`)) === "True", {
      timeoutMs: 10_000,
    });
    assert.equal(status(await getPod(port, `ready-${node}`))?.ready, true);
    await docker("exec", id, "rm", "/tmp/ready");
    await waitFor(
      "not ready again",
      async () => readyCondition(await getPod(port, `ready-${node}`)) === "False",
      {
        timeoutMs: 10_000,
      },
    );
    assert.equal(status(await getPod(port, `ready-${node}`))?.restartCount, 0, "readiness never restarts");
  });
});

test("an init container that fails twice is retried with backoff, then the app container starts", () =>
  withNode("init", 18384, async ({ node, port, manifests }) => {
    await writeFile(
      `${manifests}/init.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: init}
spec:
  terminationGracePeriodSeconds: 2
  initContainers:
  - name: setup
    image: busybox
    imagePullPolicy: Never
    command: [sh, -c, 'n=$(cat /data/count 2>/dev/null || echo 0); n=$((n+1)); echo $n > /data/count; [ $n -ge 3 ]']
    volumeMounts: [{name: data, mountPath: /data}]
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: [sh, -c, "cat /data/count; sleep 1000"]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - {name: data, emptyDir: {}}
`,
    );
    const pending = await waitFor("the pod pending on its init container", async () => {
      const p = await getPod(port, `init-${node}`);
      return p?.status?.initContainerStatuses?.[0].restartCount === 1 && p;
    }, { timeoutMs: 15_000 });
    assert.equal(pending.status?.phase, "Pending");
    assert.equal(pending.status?.conditions?.find((c) => c.type === "Initialized")?.status, "False");
    assert.equal(status(pending)?.state.waiting?.reason, "PodInitializing");
    const pod = await waitFor("the app running", async () => {
      const p = await getPod(port, `init-${node}`);
      return p?.status?.phase === "Running" && p;
    }, { timeoutMs: 40_000 });
    const init = pod.status!.initContainerStatuses![0];
    assert.equal(init.restartCount, 2);
    assert.equal(init.state.terminated?.exitCode, 0);
    assert.equal(init.state.terminated?.reason, "Completed");
    assert.equal(pod.status!.conditions!.find((c) => c.type === "Initialized")?.status, "True");
    const logs = await docker("logs", status(pod)!.containerID!.replace("docker://", ""));
    assert.equal(logs, "3");
  }));

test("postStart runs after the start and preStop runs before the stop signal", () =>
  withNode("hooks", 18385, async ({ node, port, dir, manifests }) => {
    const shared = `${dir}/shared`;
    try {
      await writeFile(
        `${manifests}/hooks.yaml`,
        `apiVersion: v1
kind: Pod
metadata: {name: hooks}
spec:
  terminationGracePeriodSeconds: 10
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: [sh, -c, "trap 'echo term >> /shared/events; exit 0' TERM; while true; do sleep 0.2; done"]
    lifecycle:
      postStart: {exec: {command: [sh, -c, "echo poststart >> /shared/events"]}}
      preStop: {exec: {command: [sh, -c, "echo prestop >> /shared/events; sleep 1"]}}
    volumeMounts: [{name: shared, mountPath: /shared}]
  volumes:
  - {name: shared, hostPath: {path: ${shared}, type: DirectoryOrCreate}}
`,
      );
      await waitFor(
        "the pod running",
        async () => (await getPod(port, `hooks-${node}`))?.status?.phase === "Running",
      );
      await waitFor(
        "postStart's mark",
        async () => (await readFile(`${shared}/events`, "utf8").catch(() => "")).includes("poststart"),
      );
      await rm(`${manifests}/hooks.yaml`);
      await waitFor(
        "the container stopped",
        async () =>
          (await docker("ps", "-aq", "--filter", `label=io.kubernetes.standalone.node=${node}`)) === "",
        {
          timeoutMs: 20_000,
        },
      );
      assert.equal(await readFile(`${shared}/events`, "utf8"), "poststart\nprestop\nterm\n");
    } finally {
      await stat(dir).catch(() => null);
    }
  }));

test("a sidecar init container (restartPolicy Always) starts first and keeps running beside the app", () =>
  withNode("sidecar", 18386, async ({ node, port, manifests }) => {
    await writeFile(
      `${manifests}/sidecar.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: sidecar}
spec:
  terminationGracePeriodSeconds: 2
  initContainers:
  - {name: helper, image: busybox, imagePullPolicy: Never, restartPolicy: Always, command: [sleep, "1000"]}
  containers:
  - {name: main, image: busybox, imagePullPolicy: Never, command: [sleep, "1000"]}
`,
    );
    const pod = await waitFor("both running", async () => {
      const p = await getPod(port, `sidecar-${node}`);
      return p?.status?.initContainerStatuses?.[0].state.running && status(p)?.state.running && p;
    });
    assert.equal(pod.status!.phase, "Running");
    assert.equal(pod.status!.conditions!.find((c) => c.type === "Initialized")?.status, "True");
    const helperStart = Date.parse(pod.status!.initContainerStatuses![0].state.running!.startedAt!);
    const mainStart = Date.parse(status(pod)!.state.running!.startedAt!);
    assert.ok(helperStart <= mainStart, "the sidecar starts before the app container");
  }));

test("liveness waits for the startup probe; a startup probe that never succeeds restarts the container", () =>
  withNode("startup", 18387, async ({ node, port, manifests, kubelet }) => {
    await writeFile(
      `${manifests}/slow.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: slow}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: [sleep, "1000"]
    startupProbe:
      exec: {command: [test, -f, /tmp/started]}
      periodSeconds: 1
      failureThreshold: 3
    livenessProbe:
      exec: {command: ["false"]}
      periodSeconds: 1
      failureThreshold: 1
`,
    );
    const waiting = await waitFor("running, not started", async () => {
      const p = await getPod(port, `slow-${node}`);
      return status(p)?.state.running && p;
    });
    assert.equal(status(waiting)?.started, false);
    assert.equal(status(waiting)?.ready, false);
    const restarted = await waitFor("restarted after the startup probe failed", async () => {
      const p = await getPod(port, `slow-${node}`);
      return (status(p)?.restartCount ?? 0) >= 1 && status(p)?.lastState.terminated && p;
    }, { timeoutMs: 20_000 });
    assert.match(status(restarted)!.lastState.terminated!.message!, /failed startup probe/);
    assert.doesNotMatch(kubelet.logs(), /Liveness probe failed/);
  }));
