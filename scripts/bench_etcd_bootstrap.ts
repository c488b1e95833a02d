/**
 * Measures bootstrapping a real etcd as a static pod with dist/kubelet, and
 * prints a table: per round, the time from starting the kubelet to /healthz,
 * and from writing the manifest to the pod Running in /pods, to etcd's
 * /health answering, and to `etcdctl endpoint health` succeeding; then from
 * an edit of the manifest to the replaced pod's `endpoint health`. Measures
 * only; asserts nothing.
 *
 *   deno run -A scripts/bench_etcd_bootstrap.ts [ROUNDS]      (default 5)
 *
 * Needs the i4-etcd:local image (scripts/test_images.sh) and dist/kubelet
 * (npm run build). Node names and ports follow E2E_NODE_PREFIX and
 * E2E_PORT_OFFSET, as the end-to-end tests do.
 */
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import process from "node:process";
import { etcdManifest } from "../tests/_fixtures/etcd.ts";
import {
  cleanup,
  e2eNode,
  e2ePort,
  getPod,
  nodeContainers,
  startKubelet,
  tempDir,
} from "../tests/_fixtures/node.ts";

const exec = promisify(execFile);
const rounds = Number(process.argv[2] ?? 5);
const node = e2eNode("bench-etcd");
const port = e2ePort(18388);
const client = e2ePort(18389);
const peer = e2ePort(18390);

/** Polls `fn` every `everyMs` until it is true; resolves the milliseconds since `since` (bounded: 120 s). */
async function until(since: number, fn: () => Promise<boolean>, everyMs: number): Promise<number> {
  while (performance.now() - since < 120_000) {
    if (await fn().catch(() => false)) return performance.now() - since;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error("gave up after 120 s");
}

async function etcdctlHealthy(): Promise<boolean> {
  const [name] = (await nodeContainers(node)).filter((n) => n.startsWith("k8s_etcd_"));
  if (!name) return false;
  const { stdout, stderr } = await exec("docker", [
    "exec",
    name,
    "etcdctl",
    `--endpoints=http://127.0.0.1:${client}`,
    "endpoint",
    "health",
  ]);
  return /is healthy/.test(stdout + stderr);
}

type Row = [number, number, number, number, number];
const rows: Row[] = [];
for (let round = 1; round <= rounds; round++) {
  const dir = await tempDir(node);
  await cleanup(node);
  await mkdir(`${dir}/manifests`);
  const started = performance.now();
  const kubelet = await startKubelet({ node, port, manifests: `${dir}/manifests`, rootDir: `${dir}/root` });
  const healthz = performance.now() - started;
  try {
    const manifest = `${dir}/manifests/etcd.yaml`;
    const written = performance.now();
    await writeFile(manifest, etcdManifest(node, `${dir}/etcd-data`, client, peer));
    const [running, health, etcdctl] = await Promise.all([
      until(written, async () => (await getPod(port, `etcd-${node}`))?.status?.phase === "Running", 20),
      until(written, async () => (await fetch(`http://127.0.0.1:${client}/health`)).ok, 20),
      until(written, etcdctlHealthy, 20),
    ]);
    const uid = (await getPod(port, `etcd-${node}`))?.metadata.uid;
    const edited = performance.now();
    await writeFile(
      manifest,
      etcdManifest(node, `${dir}/etcd-data`, client, peer, ["--snapshot-count=5000"]),
    );
    await until(edited, async () => (await getPod(port, `etcd-${node}`))?.metadata.uid !== uid, 20);
    const replaced = await until(edited, etcdctlHealthy, 20);
    rows.push([healthz, running, health, etcdctl, replaced]);
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
}

const ms = (n: number) => `${Math.round(n)} ms`.padStart(10);
const header = [
  "round",
  "kubelet→/healthz",
  "manifest→Running",
  "manifest→/health",
  "manifest→etcdctl ok",
  "edit→etcdctl ok",
];
console.log(
  `etcd bootstrap with dist/kubelet (${rounds} rounds; polled every 20 ms; etcdctl through docker exec)`,
);
console.log(header.map((h, i) => (i === 0 ? h.padEnd(6) : h.padStart(20))).join(" "));
rows.forEach((r, i) => console.log([String(i + 1).padEnd(6), ...r.map((v) => ms(v).padStart(20))].join(" ")));
const median = (i: number) => [...rows.map((r) => r[i])].sort((a, b) => a - b)[Math.floor(rows.length / 2)];
console.log(["median".padEnd(6), ...[0, 1, 2, 3, 4].map((i) => ms(median(i)).padStart(20))].join(" "));
