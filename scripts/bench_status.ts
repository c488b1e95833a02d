/**
 * Measures the status server of the compiled kubelet with 10 running pods
 * (two containers each): latency of each endpoint over sequential requests,
 * answer size, and the kubelet's resident memory. Prints a table; asserts
 * nothing.
 *
 *   deno run -A scripts/bench_status.ts [requests per endpoint, default 50]
 *
 * Uses node `i5-bench` and port 18490 of 127.0.0.1 only; removes its pods after.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import process from "node:process";
import { cleanup, getPods, startKubelet, tempDir, waitFor } from "../tests/_fixtures/node.ts";
import { busyboxPod } from "../tests/_fixtures/pods.ts";

const PODS = 10;
const REQUESTS = Math.min(Number(process.argv[2] ?? Deno.args[0] ?? 50) || 50, 1000);
const node = "i5-bench";
const port = 18490;
const base = `http://127.0.0.1:${port}`;
const ENDPOINTS = ["/pods", "/stats/summary", "/metrics", "/runningpods/", "/healthz", "/"];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function rssMiB(pid: number): Promise<string> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return (kb / 1024).toFixed(1);
}

const dir = await tempDir(node);
await cleanup(node);
await mkdir(`${dir}/manifests`);
for (let i = 0; i < PODS; i++) {
  const extra = `  initContainers: []\n`;
  const pod = busyboxPod(`bench${i}`, "while true; do echo tick; sleep 1; done", extra).replace(
    "  containers:\n",
    '  containers:\n  - name: side\n    image: busybox\n    imagePullPolicy: Never\n    command: ["sleep", "100000"]\n',
  );
  await writeFile(`${dir}/manifests/bench${i}.yaml`, pod);
}
const kubelet = await startKubelet({ node, port, manifests: `${dir}/manifests`, rootDir: `${dir}/root` });
try {
  await waitFor(`${PODS} pods with 2/2 ready`, async () => {
    const list = await getPods(port);
    return list.items.length === PODS &&
      list.items.every((p) =>
        p.status?.containerStatuses?.length === 2 && p.status.containerStatuses.every((c) => c.ready)
      );
  }, { timeoutMs: 180_000, intervalMs: 500 });
  const idleRss = await rssMiB(kubelet.proc.pid!);
  const rows: string[][] = [];
  for (const path of ENDPOINTS) {
    await (await fetch(`${base}${path}`)).arrayBuffer(); // warm-up (and the first CPU sample of /stats/summary)
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}${path}`);
      bytes = (await res.arrayBuffer()).byteLength;
      times.push(performance.now() - t0);
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
    }
    times.sort((a, b) => a - b);
    rows.push([
      path,
      String(REQUESTS),
      percentile(times, 50).toFixed(1),
      percentile(times, 95).toFixed(1),
      times[times.length - 1].toFixed(1),
      (bytes / 1024).toFixed(1),
    ]);
  }
  const busyRss = await rssMiB(kubelet.proc.pid!);
  const header = ["endpoint", "requests", "p50 ms", "p95 ms", "max ms", "answer KiB"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(
    `status server of dist/kubelet, ${PODS} pods x 2 containers, sequential requests from one client\n`,
  );
  console.log(line(header));
  console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
  for (const r of rows) console.log(line(r));
  console.log(`\nkubelet RSS: ${idleRss} MiB with the pods running, ${busyRss} MiB after the requests`);
} finally {
  await kubelet.stop("SIGKILL");
  await cleanup(node, dir);
}
