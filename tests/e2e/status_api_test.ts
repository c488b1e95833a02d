/**
 * The read-only status server of the running binary, endpoint by endpoint:
 * health, /pods, /runningpods/, /stats/summary, /metrics and
 * /containerLogs, with the walkthrough's nginx pod, a pod that ticks and a
 * pod that crashes.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import {
  busyboxPod,
  cleanup,
  e2eNode,
  e2ePort,
  getPod,
  getPods,
  ROOT,
  type RunningKubelet,
  startKubelet,
  tempDir,
  waitFor,
} from "./_harness.ts";

const node = e2eNode("status");
const port = e2ePort(18350);
const base = `http://127.0.0.1:${port}`;
let dir = "", manifests = "";
let kubelet: RunningKubelet | undefined;

const TICKER = busyboxPod("ticker", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done");
const CRASHER = busyboxPod(
  "crasher",
  "echo start $(cat /proc/sys/kernel/random/uuid); for i in 1 2 3; do echo out $i; echo err $i >&2; done; sleep 5; exit 3",
);

before(async () => {
  dir = await tempDir(node);
  manifests = `${dir}/manifests`;
  await cleanup(node);
  await mkdir(manifests);
  await copyFile(`${ROOT}/examples/nginx.yaml`, `${manifests}/nginx.yaml`);
  await writeFile(`${manifests}/ticker.yaml`, TICKER);
  await writeFile(`${manifests}/crasher.yaml`, CRASHER);
  kubelet = await startKubelet({ node, port, manifests, rootDir: `${dir}/root` });
  await waitFor("nginx and ticker running", async () => {
    const pods = await getPods(port);
    return ["nginx", "ticker"].every((n) =>
      pods.items.find((p) => p.metadata.name === `${n}-${node}`)?.status?.containerStatuses?.every((c) =>
        c.ready
      )
    );
  }, { timeoutMs: 60_000 });
});

after(async () => {
  await kubelet?.stop("SIGKILL");
  await cleanup(node, dir);
});

const get = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);

test("status server: /healthz, /healthz/ping and /healthz/syncloop answer ok as text", async () => {
  for (const path of ["/healthz", "/healthz/ping", "/healthz/syncloop"]) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(await res.text(), "ok");
  }
  assert.equal(
    await (await get("/healthz?verbose")).text(),
    "[+]ping ok\n[+]syncloop ok\nhealthz check passed\n",
  );
});

test("status server: /pods passes the v1 schema and shows complete container statuses", async () => {
  const pod = (await getPod(port, `nginx-${node}`))!;
  const status = pod.status!;
  assert.equal(status.phase, "Running");
  assert.equal(status.qosClass, "BestEffort");
  assert.ok(status.podIPs?.[0]?.ip && status.hostIP);
  for (const c of status.conditions!) {
    assert.match(c.lastTransitionTime ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }
  for (const c of status.containerStatuses!) {
    assert.equal(c.started, true);
    assert.match(c.containerID!, /^docker:\/\/[0-9a-f]{64}$/);
    assert.match(c.imageID, /^docker:\/\/sha256:/);
  }
});

test("status server: /runningpods/ lists the running pods with their running containers", async () => {
  const res = await get("/runningpods/");
  assert.equal(res.headers.get("content-type"), "application/json");
  const list = await res.json();
  const nginx = list.items.find((p: { metadata: { name: string } }) => p.metadata.name === `nginx-${node}`);
  assert.deepEqual(nginx.spec.containers.map((c: { name: string }) => c.name).sort(), [
    "log-truncator",
    "nginx",
  ]);
  assert.match(nginx.metadata.uid, /^[0-9a-f]{32}$/);
});

test("status server: /stats/summary has node and per-pod cpu, memory, network and filesystem stats", async () => {
  await get("/stats/summary").then((r) => r.body?.cancel());
  const res = await get("/stats/summary");
  assert.equal(res.headers.get("content-type"), "application/json");
  const summary = await res.json();
  assert.equal(summary.node.nodeName, node);
  assert.ok(summary.node.cpu.usageCoreNanoSeconds > 0 && summary.node.cpu.usageNanoCores >= 0);
  assert.ok(summary.node.memory.workingSetBytes > 0 && summary.node.memory.availableBytes > 0);
  assert.ok(summary.node.fs.capacityBytes > 0 && summary.node.runtime.imageFs.usedBytes > 0);
  assert.deepEqual(summary.node.systemContainers.map((c: { name: string }) => c.name), ["kubelet", "pods"]);
  const nginx = summary.pods.find((p: { podRef: { name: string } }) => p.podRef.name === `nginx-${node}`);
  assert.ok(nginx, "the nginx pod has stats");
  assert.deepEqual(nginx.containers.map((c: { name: string }) => c.name).sort(), ["log-truncator", "nginx"]);
  for (const c of nginx.containers) {
    assert.ok(c.cpu.usageCoreNanoSeconds > 0, `${c.name} cpu`);
    assert.equal(typeof c.cpu.usageNanoCores, "number", `${c.name} cpu rate`);
    assert.ok(c.memory.workingSetBytes > 0, `${c.name} memory`);
    assert.ok(c.rootfs.capacityBytes > 0, `${c.name} rootfs`);
  }
  assert.equal(nginx.network.name, "eth0");
  assert.equal(typeof nginx.network.rxBytes, "number");
  assert.deepEqual(nginx.volume.map((v: { name: string }) => v.name), ["nginx-logs"]);
  assert.ok(nginx["ephemeral-storage"].capacityBytes > 0);
  assert.ok(nginx.process_stats.process_count >= 3);
});

test("status server: /containerLogs serves tailLines, timestamps and limitBytes, demultiplexed", async () => {
  const path = `/containerLogs/default/ticker-${node}/main`;
  const res = await get(`${path}?tailLines=2`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
  const lines = (await res.text()).trimEnd().split("\n");
  assert.equal(lines.length, 2);
  for (const l of lines) assert.match(l, /^tick \d+$/);
  const stamped = (await (await get(`${path}?tailLines=1&timestamps=true`)).text()).trimEnd();
  assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z tick \d+$/);
  assert.equal(await (await get(`${path}?limitBytes=6`)).text(), "tick 0");
});

test("status server: /containerLogs?sinceSeconds leaves out the older lines, by the Engine's timestamps", async () => {
  const path = `/containerLogs/default/ticker-${node}/main?timestamps=true`;
  const stamped = async (query = "") => (await (await get(`${path}${query}`)).text()).trimEnd().split("\n");
  // A line's time as the Engine stamped it (nanoseconds cut to the millisecond Date can parse).
  const at = (line: string) => Date.parse(line.split(" ")[0].replace(/(\.\d{3})\d*Z$/, "$1Z"));
  // Wait until the ticker has logged for 5 s by its own timestamps, so that its first line is
  // well outside a 2 s window whatever the machine's speed.
  const all = await waitFor("5 s of ticks", async () => {
    const lines = await stamped();
    return lines.length > 1 && at(lines.at(-1)!) - at(lines[0]) >= 5_000 && lines;
  });
  assert.match(all[0], / tick 0$/);
  // A window with at least one line in it (retried: a stalled machine may log nothing for 2 s).
  const { asked, recent } = await waitFor("a tick in the last 2 s", async () => {
    const asked = Date.now();
    const recent = (await stamped("&sinceSeconds=2")).filter((l) => l);
    return recent.length > 0 && { asked, recent };
  });
  for (const line of recent) {
    assert.match(line, /^\S+ tick \d+$/);
    // The window starts 2 s before the kubelet got the request (at or after `asked`); 1 s of slack.
    assert.ok(at(line) >= asked - 3_000, `${line} is older than the 2 s asked for (asked at ${asked})`);
  }
  assert.ok(!recent.includes(all[0]), "the first line is left out");
});

test("status server: /containerLogs?follow=true streams new lines until the client goes", async () => {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 20_000);
  try {
    const res = await get(`/containerLogs/default/ticker-${node}/main?follow=true&tailLines=0`, {
      signal: abort.signal,
    });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    let text = "";
    while ((text.match(/tick \d+\n/g) ?? []).length < 3) {
      const { value, done } = await reader.read();
      assert.ok(!done, "the stream stays open");
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
  } finally {
    clearTimeout(timer);
  }
});

test("status server: /containerLogs?previous=true shows the last terminated instance with stdout and stderr", async () => {
  const name = `crasher-${node}`;
  await waitFor("the crasher running again after a restart", async () => {
    const c = (await getPod(port, name))?.status?.containerStatuses?.[0];
    return c && c.restartCount >= 1 && c.state.running;
  }, { timeoutMs: 60_000, intervalMs: 300 });
  const [previous, current] = await Promise.all(
    ["?previous=true", ""].map(async (q) =>
      await (await get(`/containerLogs/default/${name}/main${q}`)).text()
    ),
  );
  // stdout and stderr are separate pipes: their lines interleave in no fixed order.
  const lines = (log: string) => log.trimEnd().split("\n").sort();
  assert.deepEqual(lines(previous).slice(0, 6), ["err 1", "err 2", "err 3", "out 1", "out 2", "out 3"]);
  assert.match(lines(previous)[6], /^start [0-9a-f-]{36}$/);
  const id = (log: string) => /^start (\S+)$/m.exec(log)?.[1];
  assert.ok(id(current), current);
  assert.notEqual(id(current), id(previous), "previous is the instance before the running one");
});

test("status server: /containerLogs answers 404 for an unknown pod or container, 400 for no previous", async () => {
  const missingPod = await get("/containerLogs/default/nope/main");
  assert.equal(missingPod.status, 404);
  assert.equal(await missingPod.text(), 'pod "nope" does not exist\n');
  const missingContainer = await get(`/containerLogs/default/ticker-${node}/nope`);
  assert.equal(missingContainer.status, 404);
  assert.equal(await missingContainer.text(), `container "nope" not found in pod "ticker-${node}"\n`);
  const noPrevious = await get(`/containerLogs/default/ticker-${node}/main?previous=true`);
  assert.equal(noPrevious.status, 400);
  assert.match(await noPrevious.text(), /previous terminated container "main" in pod "ticker-.*" not found/);
  assert.equal((await get(`/containerLogs/default/ticker-${node}/main?tailLines=-3`)).status, 422);
});

test("status server: every path answers GET and HEAD only, unknown paths 404", async () => {
  for (const path of ["/", "/pods", "/healthz", "/metrics", "/stats/summary", "/spec/", "/runningpods/"]) {
    const res = await get(path, { method: "POST" });
    assert.equal(res.status, 405, path);
    assert.equal(res.headers.get("allow"), "GET, HEAD");
    await res.body?.cancel();
    const head = await get(path, { method: "HEAD" });
    assert.equal(head.status, 200, `HEAD ${path}`);
    assert.equal(await head.text(), "");
  }
  const res = await get("/nope");
  assert.equal(res.status, 404);
  await res.body?.cancel();
});

test("status server: /metrics has the kubelet's metrics with the node's pods, starts and Engine latency", async () => {
  // State first, not time: the crasher has started twice (so three pods and five containers were
  // started), while it may be running, dead or waiting out its backoff as this test reads /metrics.
  await waitFor("the crasher restarted", async () => {
    const c = (await getPod(port, `crasher-${node}`))?.status?.containerStatuses?.[0];
    return (c?.restartCount ?? 0) >= 1;
  }, { timeoutMs: 60_000, intervalMs: 300 });
  const res = await get("/metrics");
  assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const text = await res.text();
  const value = (line: RegExp) => Number(text.match(line)?.[1] ?? NaN);
  assert.equal(value(/^kubelet_running_pods (\d+)$/m), 3);
  // nginx's two containers and the ticker always run; the crasher's one may or may not.
  const running = value(/^kubelet_running_containers\{container_state="running"\} (\d+)$/m);
  assert.ok(running >= 3 && running <= 4, `${running} running containers`);
  assert.ok(value(/^kubelet_pod_start_duration_seconds_count (\d+)$/m) >= 2);
  assert.match(text, /^# TYPE kubelet_pod_start_duration_seconds histogram$/m);
  assert.ok(value(/^kubelet_started_containers_total\{container_type="container"\} (\d+)$/m) >= 5);
  assert.equal(value(/^kubelet_started_pods_total (\d+)$/m), 3);
  assert.ok(
    value(/^kubelet_runtime_operations_duration_seconds_count\{operation_type="list_containers"\} (\d+)$/m) >
      0,
  );
  assert.match(text, /^kubelet_pod_sync_errors_total \d+$/m);
  assert.match(text, new RegExp(`^kubelet_node_name\\{node="${node}"\\} 1$`, "m"));
});

test("status server: a static pod removed and put back counts in kubelet_restarted_pods_total", async () => {
  await rm(`${manifests}/ticker.yaml`);
  await waitFor("the ticker to leave /pods", async () => !(await getPod(port, `ticker-${node}`)), {
    timeoutMs: 30_000,
  });
  await writeFile(`${manifests}/ticker.yaml`, TICKER);
  await waitFor("the ticker back in /pods", async () => await getPod(port, `ticker-${node}`), {
    timeoutMs: 30_000,
  });
  const text = await (await get("/metrics")).text();
  assert.match(text, /^kubelet_restarted_pods_total\{static="true"\} 1$/m);
});
