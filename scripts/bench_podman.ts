/**
 * The seed pod brought up on Podman two ways, alternating in one run: through
 * the standalone kubelet (already running, pointed at Podman's Docker-compatible
 * socket; the manifest dropped into its directory) and through Podman's own
 * `podman kube play` of the same manifest. Prints a table of the median and
 * p90 over the runs.
 *
 *   deno run -A scripts/bench_podman.ts [--runs 10] [--endpoint unix:///run/standalone-kubelet-podman.sock]
 *       [--prefix bench-] [--port 18398]
 *
 * "Up" is from the moment the manifest lands (the file written; `podman kube
 * play` started) to the later of the two app containers' `start` events, as
 * Podman's event stream (`GET /events` of the compatible API) stamps them.
 * The pod is examples/nginx.yaml with its container port left out (kube play
 * would publish it on the host's port 80) and a 1 s grace period (so the
 * teardown between runs is quick); nothing else changes.
 *
 * Needs dist/kubelet (npm run build) and the Podman service with the test
 * images (SETUP_PODMAN=1 bash scripts/setup.sh). Names everything it makes with
 * `--prefix` and removes it afterwards.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { parse, stringify } from "yaml";
import type { Pod } from "../src/api/types.ts";
import { jsonLines } from "../src/docker/json_lines.ts";
import type { EngineEvent } from "../src/docker/types.ts";
import { platform } from "../src/platform/mod.ts";
import { dockerClientFor } from "../src/run.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(flag("runs", "10"));
const endpoint = flag(
  "endpoint",
  platform.env("PODMAN_SOCKET")
    ? `unix://${platform.env("PODMAN_SOCKET")}`
    : "unix:///run/standalone-kubelet-podman.sock",
);
const prefix = flag("prefix", "bench-");
const port = Number(flag("port", "18398"));
const NODE = `${prefix}podman`;
const PLAY_POD = `${prefix}play`;
const docker = dockerClientFor(platform, endpoint);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The seed pod as both runs get it (see the module doc). */
async function seedPod(name: string): Promise<string> {
  const pod = parse(await readFile(`${ROOT}/examples/nginx.yaml`, "utf8")) as Pod;
  pod.metadata.name = name;
  pod.spec.terminationGracePeriodSeconds = 1;
  for (const c of pod.spec.containers) delete c.ports;
  return stringify(pod);
}

/** Container start events, by container name, with their time in ms since the epoch. */
class StartEvents {
  #seen = new Map<string, number>();
  #abort = new AbortController();

  async follow(): Promise<void> {
    const res = await docker.transport.request("GET", "/events", {
      query: { filters: JSON.stringify({ type: ["container"], event: ["start"] }) },
      signal: this.#abort.signal,
      stream: true,
    });
    (async () => {
      try {
        for await (const e of jsonLines<EngineEvent>(res.body!)) {
          const name = e.Actor?.Attributes?.name;
          if (e.Action === "start" && name) this.#seen.set(name, e.timeNano / 1e6);
        }
      } catch { /* aborted */ }
    })();
  }

  /** Waits (bounded) until a started container's name satisfies each of `matchers`; the latest start time. */
  async waitFor(matchers: ((name: string) => boolean)[], since: number, timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const times = matchers.map((m) =>
        Math.max(...[...this.#seen].filter(([n, t]) => t >= since && m(n)).map(([, t]) => t))
      );
      if (times.every((t) => Number.isFinite(t))) return Math.max(...times);
      await sleep(10);
    }
    throw new Error(`no start events for all containers within ${timeoutMs} ms`);
  }

  stop(): void {
    this.#abort.abort();
  }
}

/** Runs a command to its end; rejects with its output when it fails. */
function run(cmd: string, argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("exit", (code) => code === 0 ? resolve(out) : reject(new Error(`${cmd} ${argv.join(" ")}: ${out}`)));
  });
}

const podman = (...argv: string[]) => run("podman", ["--url", endpoint, ...argv]);

/** Removes this bench's containers (the kubelet's node, then the kube play pod). */
async function cleanup(): Promise<void> {
  for (const type of ["container", "podsandbox"]) {
    const rows = await docker.listContainers([
      `io.kubernetes.standalone.node=${NODE}`,
      `io.kubernetes.docker.type=${type}`,
    ]);
    for (const r of rows) await docker.removeContainer(r.Id);
  }
  await podman("pod", "rm", "-f", "-t", "0", "--ignore", PLAY_POD).catch(() => {});
}

function stats(samples: number[]): { median: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p90: at(0.9) };
}

await docker.ping();
if (docker.engine.kind !== "podman") throw new Error(`${endpoint} is not Podman (${docker.engine.kind})`);
const dir = await mkdtemp(join(tmpdir(), `${prefix}bench-podman-`));
const manifests = `${dir}/manifests`;
await mkdir(manifests);
const playFile = `${dir}/play.yaml`;
await writeFile(playFile, await seedPod(PLAY_POD));
const kubeletManifest = await seedPod("nginx");
await cleanup();

const kubelet = spawn(`${ROOT}/dist/kubelet`, [
  `--hostname-override=${NODE}`,
  `--read-only-port=${port}`,
  `--root-dir=${dir}/root`,
  `--pod-manifest-path=${manifests}`,
  `--docker-endpoint=${endpoint}`,
], { stdio: ["ignore", "pipe", "pipe"] });
let logs = "";
kubelet.stdout.on("data", (d) => (logs += d));
kubelet.stderr.on("data", (d) => (logs += d));
const events = new StartEvents();
const samples: Record<string, number[]> = { "kubelet (manifest dropped)": [], "podman kube play": [] };
try {
  for (let i = 0; i < 100 && !logs.includes("docker engine ready"); i++) await sleep(100);
  if (!logs.includes("docker engine ready")) throw new Error(`kubelet did not connect:\n${logs}`);
  await events.follow();
  const kubeletPod = `nginx-${NODE}`;
  for (let i = 0; i < runs; i++) {
    // The kubelet: the manifest lands, the pod's two app containers start.
    let t0 = Date.now();
    await writeFile(`${manifests}/nginx.yaml`, kubeletManifest);
    let up = await events.waitFor(
      [
        (n) => n.startsWith(`k8s_nginx_${kubeletPod}_`),
        (n) => n.startsWith(`k8s_log-truncator_${kubeletPod}_`),
      ],
      t0,
    );
    samples["kubelet (manifest dropped)"].push(up - t0);
    console.error(`run ${i + 1}: kubelet ${(up - t0).toFixed(0)} ms`);
    await rm(`${manifests}/nginx.yaml`);
    for (let j = 0; j < 300; j++) {
      if ((await docker.listContainers([`io.kubernetes.standalone.node=${NODE}`])).length === 0) break;
      await sleep(100);
    }

    // podman kube play of the same pod.
    t0 = Date.now();
    await podman("kube", "play", playFile);
    up = await events.waitFor(
      [(n) => n === `${PLAY_POD}-nginx`, (n) => n === `${PLAY_POD}-log-truncator`],
      t0,
    );
    samples["podman kube play"].push(up - t0);
    console.error(`run ${i + 1}: podman kube play ${(up - t0).toFixed(0)} ms`);
    await podman("pod", "rm", "-f", "-t", "0", PLAY_POD);
  }
} finally {
  events.stop();
  kubelet.kill("SIGTERM");
  await new Promise((r) => kubelet.on("exit", r));
  await cleanup();
  await rm(dir, { recursive: true, force: true });
}

const engine = `Podman ${docker.engine.version}`;
console.log(
  `Seed pod up on ${engine} (${runs} runs each, alternating; ms from manifest to both app containers' start events)\n`,
);
console.log(`| path | median | p90 |`);
console.log(`| --- | --- | --- |`);
for (const [name, values] of Object.entries(samples)) {
  const { median, p90 } = stats(values);
  console.log(`| ${name} | ${median.toFixed(0)} | ${p90.toFixed(0)} |`);
}
