/**
 * Measures the API-server-shaped view of the compiled kubelet with 100
 * running pods (one busybox `sleep` container each, pod network): the wall
 * time of `kubectl get pods -A` against kubectl's own start-up
 * (`kubectl version --client`), list latency, the delay from the Engine's
 * `die`/`start` event of a killed container to the watch's MODIFIED line,
 * and the kubelet's memory with 20 open watches. Prints a table; asserts
 * nothing.
 *
 *   deno run -A scripts/bench_kubectl.ts [--pods 100] [--runs 20]
 *
 * Node `${E2E_NODE_PREFIX}bench-kubectl` (default `e2e-`), port 18414 plus
 * `E2E_PORT_OFFSET`, 127.0.0.1 only; removes its pods after.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import process from "node:process";
import type { Pod } from "../src/api/types.ts";
import {
  BINARY,
  cleanup,
  e2eNode,
  e2ePort,
  freshNode,
  getPods,
  startKubelet,
  waitFor,
} from "../tests/_fixtures/node.ts";
import { busyboxPod } from "../tests/_fixtures/pods.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const PODS = Math.min(arg("pods", 100), 500);
const RUNS = Math.min(arg("runs", 20), 1000);
const RESTARTS = 5;
const WATCHES = 20;
const KUBECTL = "/usr/bin/kubectl";
const node = e2eNode("bench-kubectl");
const port = e2ePort(18414);
const base = `http://127.0.0.1:${port}`;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x: number) => x.toFixed(1);

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Wall time of one command, ms. */
function wall(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return performance.now() - t0;
}

const { dir, manifests, rootDir } = await freshNode(node);
for (let i = 0; i < PODS; i++) {
  await writeFile(`${manifests}/bench${i}.yaml`, busyboxPod(`bench${i}`, "exec sleep 100000"));
}
const kubelet = await startKubelet({ node, port, manifests, rootDir });
const rows: [string, string][] = [];
const row = (what: string, value: string) => {
  rows.push([what, value]);
  console.error(`${what}: ${value}`);
};
try {
  const t0 = performance.now();
  await waitFor(`${PODS} pods running`, async () => {
    const list = await getPods(port);
    return list.items.length === PODS && list.items.every((p) => p.status?.containerStatuses?.[0]?.ready);
  }, { timeoutMs: 900_000, intervalMs: 1000 });
  console.error(`${PODS} pods running after ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const kubeconfig = `${dir}/kubeconfig`;
  const config = spawnSync(BINARY, ["kubeconfig", "--server", base], { encoding: "utf8" });
  await writeFile(kubeconfig, config.stdout);

  // kubectl: its own start-up against a full listing. /usr/bin/kubectl may be Google's dispatcher,
  // which asks the server's version and then runs the kubectl of that minor version: measured both ways.
  const minor = (await (await fetch(`${base}/version`)).json()).minor;
  const direct = `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
  for (const kubectl of [KUBECTL, ...(existsSync(direct) ? [direct] : [])]) {
    const version: number[] = [], raw: number[] = [], getAll: number[] = [];
    wall(kubectl, ["--kubeconfig", kubeconfig, "get", "pods", "-A"]); // warm-up (discovery cache)
    for (let i = 0; i < RUNS; i++) {
      version.push(wall(kubectl, ["version", "--client"]));
      raw.push(wall(kubectl, ["--kubeconfig", kubeconfig, "get", "--raw", "/healthz"]));
      getAll.push(wall(kubectl, ["--kubeconfig", kubeconfig, "get", "pods", "-A"]));
    }
    const v50 = percentile(version, 50), r50 = percentile(raw, 50), g50 = percentile(getAll, 50);
    row(`${kubectl} get --raw /healthz, wall p50`, `${ms(r50)} ms`);
    row(`${kubectl} version --client, wall p50`, `${ms(v50)} ms`);
    row(
      `${kubectl} get pods -A (${PODS} pods), wall p50`,
      `${ms(g50)} ms (+${ms(g50 - v50)} ms, +${ms((g50 / v50 - 1) * 100)} %)`,
    );
  }

  // Lists, sequential, one client.
  for (
    const [what, accept] of [
      ["GET /api/v1/pods (PodList)", "application/json"],
      ["GET /api/v1/pods (Table)", "application/json;as=Table;v=v1;g=meta.k8s.io"],
    ]
  ) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS * 10; i++) {
      const s = performance.now();
      const res = await fetch(`${base}/api/v1/pods`, { headers: { accept } });
      bytes = (await res.arrayBuffer()).byteLength;
      times.push(performance.now() - s);
    }
    row(
      `${what} p50 / p99`,
      `${ms(percentile(times, 50))} / ${ms(percentile(times, 99))} ms (${(bytes / 1024).toFixed(0)} KiB)`,
    );
  }

  // Watch delay: the Engine's die and start events of a killed container against the watch's MODIFIED line.
  const engine = spawn("docker", [
    "events",
    "--filter",
    `label=io.kubernetes.standalone.node=${node}`,
    "--filter",
    "type=container",
    "--format",
    "{{json .}}",
  ]);
  const engineEvents: { action: string; id: string; at: number }[] = [];
  let engineBuf = "";
  engine.stdout.on("data", (d) => {
    engineBuf += d;
    const lines = engineBuf.split("\n");
    engineBuf = lines.pop()!;
    for (const l of lines) {
      const e = JSON.parse(l);
      engineEvents.push({
        action: e.Action ?? e.status,
        id: e.id ?? e.Actor?.ID,
        at: Number(e.timeNano) / 1e6,
      });
    }
  });
  const dieDelays: number[] = [], startDelays: number[] = [];
  for (let i = 0; i < RESTARTS; i++) {
    const name = `bench${i}-${node}`;
    const list =
      await (await fetch(`${base}/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3D${name}`))
        .json();
    const before = list.items[0].status.containerStatuses[0];
    const oldId = before.containerID.replace("docker://", "");
    const lines: { at: number; pod: Pod }[] = [];
    const abort = new AbortController();
    const res = await fetch(
      `${base}/api/v1/namespaces/default/pods?watch=true&fieldSelector=metadata.name%3D${name}&resourceVersion=${list.metadata.resourceVersion}`,
      { signal: abort.signal },
    );
    const reading = (async () => {
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      let buf = "";
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          const at = Date.now();
          buf += dec.decode(value, { stream: true });
          const parts = buf.split("\n");
          buf = parts.pop()!;
          for (const p of parts) if (p.trim()) lines.push({ at, pod: JSON.parse(p).object });
        }
      } catch { /* aborted */ }
    })();
    spawnSync("docker", ["kill", oldId]);
    const restarted = await waitFor(
      `${name} restarted in the watch`,
      () =>
        lines.find((l) =>
          l.pod.status?.containerStatuses?.[0]?.restartCount === before.restartCount + 1 &&
          l.pod.status?.containerStatuses?.[0]?.state.running
        ),
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    const die = engineEvents.find((e) => e.action === "die" && e.id === oldId);
    const newId = (restarted.pod.status?.containerStatuses?.[0]?.containerID ?? "").replace("docker://", "");
    const start = await waitFor(
      "the start event",
      () => engineEvents.find((e) => e.action === "start" && e.id === newId),
    );
    const firstAfterDie = lines.find((l) => die && l.at >= die.at);
    if (die && firstAfterDie) dieDelays.push(firstAfterDie.at - die.at);
    startDelays.push(restarted.at - start.at);
    abort.abort();
    await reading;
  }
  engine.kill();
  row(
    `watch: Engine die -> first MODIFIED (${RESTARTS} restarts) p50 / max`,
    `${ms(percentile(dieDelays, 50))} / ${ms(Math.max(...dieDelays))} ms`,
  );
  row(
    `watch: Engine start -> MODIFIED running (${RESTARTS} restarts) p50 / max`,
    `${ms(percentile(startDelays, 50))} / ${ms(Math.max(...startDelays))} ms`,
  );

  // Memory with 20 open watches.
  const idle = await rssMiB(kubelet.proc.pid!);
  const aborts: AbortController[] = [];
  for (let i = 0; i < WATCHES; i++) {
    const abort = new AbortController();
    aborts.push(abort);
    const res = await fetch(`${base}/api/v1/pods?watch=true`, { signal: abort.signal });
    res.body!.pipeTo(new WritableStream()).catch(() => {});
  }
  await new Promise((r) => setTimeout(r, 5000));
  const watching = await rssMiB(kubelet.proc.pid!);
  for (const a of aborts) a.abort();
  row("kubelet RSS, no watch", `${idle.toFixed(1)} MiB`);
  row(`kubelet RSS, ${WATCHES} open watches of all pods (after 5 s)`, `${watching.toFixed(1)} MiB`);

  const width = Math.max(...rows.map(([w]) => w.length));
  console.log(
    `dist/kubelet API view, ${PODS} pods, ${RUNS} runs, load average ${
      (await readFile("/proc/loadavg", "utf8")).split(" ").slice(0, 3).join(" ")
    }, kubectl ${
      spawnSync(KUBECTL, ["version", "--client", "-o", "json"], { encoding: "utf8" }).stdout.match(
        /"gitVersion":\s*"([^"]+)"/,
      )?.[1]
    }\n`,
  );
  console.log(`| ${"measure".padEnd(width)} | value |`);
  console.log(`| ${"-".repeat(width)} | --- |`);
  for (const [what, value] of rows) console.log(`| ${what.padEnd(width)} | ${value} |`);
} finally {
  await kubelet.stop("SIGKILL");
  await cleanup(node, dir);
}
