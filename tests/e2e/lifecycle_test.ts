/**
 * Keeping pods running the kubelet's way, end to end: CrashLoopBackOff,
 * liveness and readiness probes, init containers, lifecycle hooks.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import type { ContainerStatus, Pod } from "../../src/api/types.ts";
import { cleanup, docker, e2eNode, e2ePort, getPod, startNode, waitFor } from "./_harness.ts";

const status = (p: Pod | undefined, name = "main"): ContainerStatus | undefined =>
  p?.status?.containerStatuses?.find((c) => c.name === name);

test("a crashing container restarts at once, then waits 10 s, then 20 s (CrashLoopBackOff)", async () => {
  const node = e2eNode("crashloop");
  const port = e2ePort(18381);
  const { dir, manifests, kubelet } = await startNode(node, port);
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
    // Poll /pods (bounded) and note when each restart count is first seen, and the waiting messages.
    const firstSeen = new Map<number, number>();
    const messages = new Set<string>();
    let last: ContainerStatus | undefined;
    const t0 = Date.now();
    await waitFor("restartCount 3", async () => {
      last = status(await getPod(port, `crash-${node}`));
      if (last && !firstSeen.has(last.restartCount)) firstSeen.set(last.restartCount, Date.now() - t0);
      if (last?.state.waiting?.reason === "CrashLoopBackOff") messages.add(last.state.waiting.message!);
      return (last?.restartCount ?? 0) >= 3;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    assert.ok(firstSeen.get(1)! < 5_000, `first restart at once (seen at ${firstSeen.get(1)} ms)`);
    assert.ok(firstSeen.get(2)! - firstSeen.get(1)! >= 9_000, `then a 10 s wait: ${[...firstSeen]}`);
    assert.ok(firstSeen.get(3)! - firstSeen.get(2)! >= 19_000, `then a 20 s wait: ${[...firstSeen]}`);
    const expected = (s: string) =>
      `back-off ${s} restarting failed container=main pod=crash-${node}_default(`;
    assert.ok([...messages].some((m) => m.startsWith(expected("10s"))), [...messages].join("\n"));
    assert.ok([...messages].some((m) => m.startsWith(expected("20s"))), [...messages].join("\n"));
    const terminated = last!.lastState.terminated ?? last!.state.terminated;
    assert.equal(terminated?.exitCode, 1);
    assert.equal(terminated?.reason, "Error");
    assert.ok(terminated?.startedAt && terminated?.finishedAt);
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});

test("a failing liveness probe kills and restarts the container; lastState says why", async () => {
  const node = e2eNode("liveness");
  const port = e2ePort(18382);
  const { dir, manifests, kubelet } = await startNode(node, port);
  try {
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
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});

test("a readiness probe drives the container's ready and the pod's Ready condition", async () => {
  const node = e2eNode("readiness");
  const port = e2ePort(18383);
  const { dir, manifests, kubelet } = await startNode(node, port);
  try {
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
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});

test("an init container that fails twice is retried with backoff, then the app container starts", async () => {
  const node = e2eNode("init");
  const port = e2ePort(18384);
  const { dir, manifests, kubelet } = await startNode(node, port);
  try {
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
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});

test("postStart runs after the start and preStop runs before the stop signal", async () => {
  const node = e2eNode("hooks");
  const port = e2ePort(18385);
  const { dir, manifests, kubelet } = await startNode(node, port);
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
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
    await stat(dir).catch(() => null);
  }
});

test("a sidecar init container (restartPolicy Always) starts first and keeps running beside the app", async () => {
  const node = e2eNode("sidecar");
  const port = e2ePort(18386);
  const { dir, manifests, kubelet } = await startNode(node, port);
  try {
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
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});

test("liveness waits for the startup probe; a startup probe that never succeeds restarts the container", async () => {
  const node = e2eNode("startup");
  const port = e2ePort(18387);
  const { dir, manifests, kubelet } = await startNode(node, port);
  try {
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
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});
