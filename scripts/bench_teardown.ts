/**
 * Benchmarks tearing down the seed pod (examples/nginx.yaml: nginx, a shell
 * sidecar, the infra container) from "stop it" to "every container gone", for
 * three contenders in the same run, one round of each in turn:
 *
 * - kubelet: the manifest is removed; done when the Engine has sent a
 *   `destroy` event for each of the pod's containers.
 * - floor: the same three containers made by this script through the Engine
 *   API, then `POST /containers/{id}/stop` with the pod's grace (30 s; the app
 *   containers in parallel, then the infra container) and `DELETE`; done at
 *   the last `destroy` event. This is `docker stop -t 30` + `docker rm`.
 * - podman (when installed): `podman kube play` of the same manifest, then
 *   `podman kube down`; done at podman's own `remove` event for the pod's last
 *   container (`podman events`); the command's wall time is reported too.
 *
 * Every contender's pod runs for a second before it is stopped, so its
 * processes have set up their signal handlers. Times are the host's clock, on
 * which the Engine and podman stamp their events.
 *
 *   deno run -A scripts/bench_teardown.ts [--runs 7] [--node bench-teardown] [--port 18398] [--no-podman]
 *     [--kubelet-log FILE]
 *
 * `--kubelet-log` keeps the kubelet's own log (it says which containers were
 * killed without waiting) for a look at a slow round.
 *
 * Needs dist/kubelet (npm run build), the test images (scripts/setup.sh) and,
 * for podman, `podman` with busybox and nginx loaded (done here from the
 * Engine with `docker save | podman load` when missing).
 *
 * @module
 */
import { execFile, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { promisify } from "node:util";
import { parse } from "yaml";
import type { Pod } from "../src/api/types.ts";
import { jsonLines } from "../src/docker/json_lines.ts";
import type { EngineEvent } from "../src/docker/types.ts";
import { createLogger } from "../src/log.ts";
import { platform } from "../src/platform/mod.ts";
import { dockerClientFor } from "../src/run.ts";
import { DEFAULT_PAUSE_IMAGE, ensurePauseImage } from "../src/runtime/pause_image.ts";

const exec = promisify(execFile);
const ROOT = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(flag("runs", "7"));
const NODE = flag("node", "bench-teardown");
const PORT = Number(flag("port", "18398"));
const LABEL = `io.kubernetes.standalone.node=${NODE}`;
const FLOOR_LABEL = `standalone-kubelet.bench-teardown=${NODE}`;
const PODMAN_POD = `${NODE}-seed`;
/** How long each pod runs before it is stopped (ms). */
const SETTLE_MS = 1000;
const docker = dockerClientFor(platform, platform.env("DOCKER_HOST") ?? "unix:///var/run/docker.sock");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls every 10 ms until `fn` is true; throws after `timeoutMs`. */
async function until(what: string, fn: () => Promise<boolean> | boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await sleep(10);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Every container `destroy` event of the Engine while the benchmark runs: ID -> ms since the epoch. */
const destroyed = new Map<string, number>();
const events = new AbortController();
async function followDestroyEvents(): Promise<void> {
  const res = await docker.transport.request("GET", "/events", {
    query: { filters: JSON.stringify({ type: ["container"], event: ["destroy"] }) },
    signal: events.signal,
    stream: true,
  });
  try {
    for await (const e of jsonLines<EngineEvent>(res.body!)) destroyed.set(e.Actor.ID, e.timeNano / 1e6);
  } catch (error) {
    if (!events.signal.aborted) throw error;
  }
}

/** Resolves the time of the last `destroy` event among `ids` once all have come. */
async function allDestroyed(ids: string[]): Promise<number> {
  await until(`destroy events of ${ids.length} containers`, () => ids.every((id) => destroyed.has(id)));
  return Math.max(...ids.map((id) => destroyed.get(id)!));
}

const running = async (label: string) =>
  (await docker.listContainers([label])).filter((c) => c.State === "running").map((c) => c.Id);

function stats(samples: number[]): { median: number; p90: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p90: at(0.9) };
}

const seedText = await readFile(`${ROOT}examples/nginx.yaml`, "utf8");
const seed = parse(seedText) as Pod;

async function kubeletRound(manifests: string): Promise<number> {
  await writeFile(join(manifests, "nginx.yaml"), seedText);
  let ids: string[] = [];
  await until("the kubelet's 3 containers running", async () => (ids = await running(LABEL)).length === 3);
  await sleep(SETTLE_MS);
  const t0 = Date.now();
  await rm(join(manifests, "nginx.yaml"));
  return await allDestroyed(ids) - t0;
}

async function floorRound(dir: string, i: number): Promise<number> {
  const labels = { "standalone-kubelet.bench-teardown": NODE };
  const logs = join(dir, `floor-${i}`);
  await mkdir(logs, { recursive: true });
  const infra = await docker.createContainer(`${NODE}-floor-pod-${i}`, {
    Image: DEFAULT_PAUSE_IMAGE,
    Labels: labels,
    HostConfig: { IpcMode: "shareable" },
  });
  await docker.startContainer(infra);
  const apps: string[] = [];
  for (const c of seed.spec.containers) {
    const id = await docker.createContainer(`${NODE}-floor-${c.name}-${i}`, {
      Image: c.image,
      Entrypoint: c.command,
      Cmd: c.args,
      Labels: labels,
      HostConfig: {
        NetworkMode: `container:${infra}`,
        IpcMode: `container:${infra}`,
        Binds: [`${logs}:${c.volumeMounts![0].mountPath}`],
      },
    });
    await docker.startContainer(id);
    apps.push(id);
  }
  await until("the floor's 3 containers running", async () => (await running(FLOOR_LABEL)).length === 3);
  await sleep(SETTLE_MS);
  const grace = seed.spec.terminationGracePeriodSeconds ?? 30;
  const t0 = Date.now();
  await Promise.all(apps.map((id) => docker.stopContainer(id, grace)));
  await docker.stopContainer(infra, grace);
  await Promise.all([infra, ...apps].map((id) => docker.removeContainer(id)));
  return await allDestroyed([infra, ...apps]) - t0;
}

/** `podman ...`; resolves stdout. */
async function podman(...argv: string[]): Promise<string> {
  return (await exec("podman", argv, { maxBuffer: 64 << 20 })).stdout;
}

/** Podman's ISO time with nanoseconds as ms since the epoch. */
const podmanTime = (t: string) => Date.parse(t.replace(/(\.\d{3})\d*/, "$1"));

async function podmanReady(): Promise<string | undefined> {
  try {
    await podman("--version");
  } catch {
    return "podman is not installed";
  }
  const missing: string[] = [];
  for (const image of ["busybox:latest", "nginx:latest"]) {
    if (!(await podman("images", "-q", image)).trim()) missing.push(image);
  }
  if (missing.length) {
    // docker save | podman load: podman keeps its own storage.
    await new Promise<void>((resolve, reject) => {
      const save = spawn("docker", ["save", ...missing], { stdio: ["ignore", "pipe", "inherit"] });
      const load = spawn("podman", ["load"], { stdio: ["pipe", "ignore", "inherit"] });
      save.stdout!.pipe(load.stdin!);
      load.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`podman load exited ${code}`))));
    });
  }
  return undefined;
}

async function podmanRound(manifest: string): Promise<{ events: number; command: number }> {
  await podman("kube", "play", manifest);
  const podId = (await podman("pod", "inspect", PODMAN_POD, "--format", "{{.Id}}")).trim();
  await until("podman's containers running", async () => {
    const out = await podman(
      "ps",
      "--filter",
      `pod=${podId}`,
      "--filter",
      "status=running",
      "--format",
      "{{.ID}}",
    );
    return out.trim().split("\n").filter(Boolean).length === 3;
  });
  await sleep(SETTLE_MS);
  const t0 = Date.now();
  await podman("kube", "down", manifest);
  const command = Date.now() - t0;
  const since = new Date(t0 - 1000).toISOString();
  const out = await podman(
    "events",
    "--stream=false",
    "--since",
    since,
    "--filter",
    "type=container",
    "--filter",
    "event=remove",
    "--format",
    "json",
  );
  const removed = out.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l))
    .filter((e: { PodID?: string }) => e.PodID === podId)
    .map((e: { Time: string }) => podmanTime(e.Time));
  if (removed.length !== 3) throw new Error(`podman reported ${removed.length} removed containers, not 3`);
  return { events: Math.max(...removed) - t0, command };
}

async function cleanupAll(withPodman: boolean): Promise<void> {
  for (const label of [LABEL, FLOOR_LABEL]) {
    for (const c of await docker.listContainers([label])) await docker.removeContainer(c.Id);
  }
  if (withPodman) await podman("pod", "rm", "-f", "--ignore", PODMAN_POD).catch(() => {});
}

const dir = await mkdtemp(join(tmpdir(), "kubelet-bench-teardown-"));
const manifests = join(dir, "manifests");
await mkdir(manifests);
const podmanManifest = join(dir, "podman-seed.yaml");
await writeFile(podmanManifest, seedText.replace(/^ {2}name: nginx$/m, `  name: ${PODMAN_POD}`));
const whyNoPodman = args.includes("--no-podman") ? "--no-podman" : await podmanReady();
await ensurePauseImage(docker, DEFAULT_PAUSE_IMAGE, platform.arch, createLogger({ write: () => {} }));
await cleanupAll(!whyNoPodman);
const following = followDestroyEvents();
const kubelet = spawn(`${ROOT}dist/kubelet`, [
  `--hostname-override=${NODE}`,
  `--read-only-port=${PORT}`,
  `--root-dir=${join(dir, "root")}`,
  `--config=${manifests}`,
], { stdio: ["ignore", "ignore", "pipe"] });
const kubeletLog = flag("kubelet-log", "");
if (kubeletLog) kubelet.stderr!.pipe(createWriteStream(kubeletLog));
else kubelet.stderr!.resume();
const samples = {
  kubelet: [] as number[],
  floor: [] as number[],
  podman: [] as number[],
  podmanCmd: [] as number[],
};
const show = (name: string, ms: number) => console.error(`${name}: ${ms.toFixed(0)} ms`);
try {
  await until("the kubelet's /healthz", async () => {
    try {
      return (await fetch(`http://127.0.0.1:${PORT}/healthz`)).ok;
    } catch {
      return false;
    }
  }, 20_000);
  for (let i = 0; i < runs; i++) {
    console.error(`round ${i + 1}/${runs}`);
    samples.kubelet.push(await kubeletRound(manifests));
    show("  kubelet", samples.kubelet.at(-1)!);
    samples.floor.push(await floorRound(dir, i));
    show("  floor", samples.floor.at(-1)!);
    if (!whyNoPodman) {
      const p = await podmanRound(podmanManifest);
      samples.podman.push(p.events);
      samples.podmanCmd.push(p.command);
      show("  podman", p.events);
    }
  }
} finally {
  process.kill(kubelet.pid!, "SIGTERM");
  events.abort();
  await following.catch(() => {});
  await cleanupAll(!whyNoPodman);
  await rm(dir, { recursive: true, force: true });
}

const grace = seed.spec.terminationGracePeriodSeconds ?? 30;
const rows: [string, number[]][] = [
  ["kubelet: manifest removed -> last destroy event", samples.kubelet],
  [`floor: docker stop -t ${grace} + rm via the Engine API -> last destroy event`, samples.floor],
];
if (whyNoPodman) {
  console.log(`\npodman skipped: ${whyNoPodman}`);
} else {
  rows.push(["podman: `podman kube down` started -> last container remove event", samples.podman]);
  rows.push(["podman: `podman kube down` wall time", samples.podmanCmd]);
}
console.log(`\nseed pod teardown, ${runs} rounds, alternating; milliseconds\n`);
console.log(`| contender | median | p90 |`);
console.log(`| --- | ---: | ---: |`);
for (const [name, s] of rows) {
  const { median, p90 } = stats(s);
  console.log(`| ${name} | ${median.toFixed(0)} | ${p90.toFixed(0)} |`);
}
process.exit(0);
