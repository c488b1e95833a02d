/**
 * Benchmarks the standalone kubelet against the floor the Engine sets, and
 * prints a table (median and p90 over the runs).
 *
 *   deno run -A scripts/bench.ts [--runs 10] [--scenario all|walkthrough|restart|liveness]
 *
 * walkthrough: the nginx pod of examples/ from the manifest landing to all
 *   three containers running, and from its removal to all containers gone;
 *   the floor is the same three containers created, started, stopped and
 *   removed by this script through the Engine API.
 * restart: from `docker kill` of a container to its replacement running
 *   (first restart, no backoff), against the floor of killing a container and
 *   creating and starting its replacement directly.
 * liveness: from the liveness probe's third failure (the kubelet's log line)
 *   to the replacement container running (its StartedAt).
 *
 * Needs dist/kubelet (npm run build) and the test images (scripts/setup.sh).
 * Uses node name `bench`, port 18399 and a temporary directory.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { parse } from "yaml";
import type { Pod } from "../src/api/types.ts";
import { platform } from "../src/platform/mod.ts";
import { dockerClientFor } from "../src/run.ts";
import { DEFAULT_PAUSE_IMAGE, ensurePauseImage } from "../src/runtime/pause_image.ts";
import { createLogger } from "../src/log.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const NODE = "bench";
const PORT = 18399;
const LABEL = `io.kubernetes.standalone.node=${NODE}`;
const FLOOR_LABEL = "standalone-kubelet.bench=floor";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(flag("runs", "10"));
const scenario = flag("scenario", "all");
const docker = dockerClientFor(platform, platform.env("DOCKER_HOST") ?? "unix:///var/run/docker.sock");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls every 10 ms (bounded by `timeoutMs`) until `fn` is true; resolves the elapsed ms since `start`. */
async function until(start: number, fn: () => Promise<boolean>, timeoutMs = 120_000): Promise<number> {
  while (performance.now() - start < timeoutMs) {
    if (await fn()) return performance.now() - start;
    await sleep(10);
  }
  throw new Error(`timed out after ${timeoutMs} ms`);
}

const running = async (label: string) =>
  (await docker.listContainers([label])).filter((c) => c.State === "running").length;
const existing = async (label: string) => (await docker.listContainers([label])).length;

function stats(samples: number[]): { median: number; p90: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p90: at(0.9) };
}

const rows: [string, number[]][] = [];
/** Records a measurement and prints it at once (the table at the end repeats them). */
function record(name: string, samples: number[]): void {
  rows.push([name, samples]);
  const { median, p90 } = stats(samples);
  console.error(`${name}: median ${median.toFixed(0)} ms, p90 ${p90.toFixed(0)} ms`);
}

async function startKubelet(manifests: string, rootDir: string) {
  const proc = spawn(`${ROOT}dist/kubelet`, [
    `--hostname-override=${NODE}`,
    `--read-only-port=${PORT}`,
    `--root-dir=${rootDir}`,
    `--pod-manifest-path=${manifests}`,
    "--healthz-port=0",
  ], { stdio: "ignore" });
  await until(performance.now(), async () => {
    try {
      return (await fetch(`http://127.0.0.1:${PORT}/healthz`)).ok;
    } catch {
      return false;
    }
  }, 20_000);
  return proc;
}

async function walkthrough(dir: string): Promise<void> {
  const manifests = join(dir, "manifests");
  await mkdir(manifests);
  const kubelet = await startKubelet(manifests, join(dir, "root"));
  const up: number[] = [], down: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await copyFile(`${ROOT}examples/nginx.yaml`, join(manifests, "nginx.yaml"));
      up.push(await until(t0, async () => await running(LABEL) === 3));
      const t1 = performance.now();
      await rm(join(manifests, "nginx.yaml"));
      down.push(await until(t1, async () => await existing(LABEL) === 0));
    }
  } finally {
    process.kill(kubelet.pid!, "SIGTERM");
  }
  record("kubelet: manifest landed -> 3 containers running", up);
  record("kubelet: manifest removed -> all containers gone", down);
}

/** The same three containers through the Engine API: the floor no kubelet can beat. */
async function walkthroughFloor(dir: string): Promise<void> {
  const pod = parse(await readFile(`${ROOT}examples/nginx.yaml`, "utf8")) as Pod;
  await ensurePauseImage(docker, DEFAULT_PAUSE_IMAGE, platform.arch, createLogger({ write: () => {} }));
  const labels = { "standalone-kubelet.bench": "floor" };
  const up: number[] = [], down: number[] = [];
  for (let i = 0; i < runs; i++) {
    const logs = join(dir, `floor-${i}`);
    await mkdir(logs, { recursive: true });
    const t0 = performance.now();
    const infra = await docker.createContainer(`bench-floor-pod-${i}`, {
      Image: DEFAULT_PAUSE_IMAGE,
      Labels: labels,
      HostConfig: { IpcMode: "shareable" },
    });
    await docker.startContainer(infra);
    const ids = [infra];
    for (const c of pod.spec.containers) {
      const mount = c.volumeMounts![0].mountPath;
      const id = await docker.createContainer(`bench-floor-${c.name}-${i}`, {
        Image: c.image,
        Entrypoint: c.command,
        Cmd: c.args,
        Labels: labels,
        HostConfig: {
          NetworkMode: `container:${infra}`,
          IpcMode: `container:${infra}`,
          Binds: [`${logs}:${mount}`],
        },
      });
      await docker.startContainer(id);
      ids.push(id);
    }
    up.push(await until(t0, async () => await running(FLOOR_LABEL) === 3));
    const t1 = performance.now();
    await Promise.all(ids.slice(1).map((id) => docker.stopContainer(id, 30)));
    await docker.stopContainer(infra, 30);
    await Promise.all(ids.map((id) => docker.removeContainer(id)));
    down.push(await until(t1, async () => await existing(FLOOR_LABEL) === 0));
  }
  record("floor: create+start the 3 containers via the Engine API", up);
  record("floor: stop (30 s grace)+remove them via the Engine API", down);
}

const SLEEPER = `apiVersion: v1
kind: Pod
metadata: {name: sleeper}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - {name: main, image: busybox, imagePullPolicy: Never, command: [sleep, "100000"]}
`;

async function restart(dir: string): Promise<void> {
  const manifests = join(dir, "restart-manifests");
  await mkdir(manifests);
  await writeFile(join(manifests, "sleeper.yaml"), SLEEPER);
  const kubelet = await startKubelet(manifests, join(dir, "restart-root"));
  const samples: number[] = [];
  const floor: number[] = [];
  try {
    const main = `io.kubernetes.container.name=main`;
    await until(performance.now(), async () => await running(LABEL) === 2);
    for (let i = 0; i < runs; i++) {
      const [victim] = (await docker.listContainers([LABEL, main])).filter((c) => c.State === "running");
      const t0 = performance.now();
      await docker.transport.request("POST", `/containers/${victim.Id}/kill`).then((r) => r.body?.cancel());
      samples.push(
        await until(
          t0,
          async () =>
            (await docker.listContainers([LABEL, main])).some((c) =>
              c.State === "running" && c.Id !== victim.Id
            ),
        ),
      );
      // Let the kubelet's backoff for this container lapse: a fresh container (first restart) each run.
      await rm(join(manifests, "sleeper.yaml"));
      await until(performance.now(), async () => await existing(LABEL) === 0);
      await writeFile(join(manifests, "sleeper.yaml"), SLEEPER);
      await until(performance.now(), async () => await running(LABEL) === 2);
      // Floor: kill a plain container and create+start its replacement directly.
      const body = {
        Image: "busybox",
        Entrypoint: ["sleep", "100000"],
        Labels: { "standalone-kubelet.bench": "floor" },
        HostConfig: {},
      };
      const id = await docker.createContainer(`bench-floor-restart-${i}`, body);
      await docker.startContainer(id);
      const t1 = performance.now();
      await docker.transport.request("POST", `/containers/${id}/kill`).then((r) => r.body?.cancel());
      const next = await docker.createContainer(`bench-floor-restart-${i}-1`, body);
      await docker.startContainer(next);
      floor.push(await until(t1, async () => await running(FLOOR_LABEL) === 1));
      await docker.removeContainer(id);
      await docker.removeContainer(next);
    }
  } finally {
    process.kill(kubelet.pid!, "SIGTERM");
  }
  record("kubelet: docker kill -> replacement running", samples);
  record("floor: docker kill -> create+start a replacement via the Engine API", floor);
}

const LIVE = `apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: [sh, -c, "touch /tmp/ok; trap 'exit 0' TERM; while true; do sleep 0.1; done"]
    livenessProbe:
      exec: {command: [test, -f, /tmp/ok]}
      periodSeconds: 1
      failureThreshold: 3
`;

/** klog's `I1127 12:30:43.123000` as ms since the epoch (this year, local time as klog writes it). */
function klogTime(line: string): number {
  const m = /^[IWE](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})/.exec(line);
  if (!m) throw new Error(`not a klog line: ${JSON.stringify(line)}`);
  const [mo, d, h, mi, s, ms] = m.slice(1).map(Number);
  return new Date(new Date().getFullYear(), mo - 1, d, h, mi, s, ms).getTime();
}

async function liveness(dir: string): Promise<void> {
  const manifests = join(dir, "live-manifests");
  await mkdir(manifests);
  let log = "";
  const proc = spawn(`${ROOT}dist/kubelet`, [
    `--hostname-override=${NODE}`,
    `--read-only-port=${PORT}`,
    `--root-dir=${join(dir, "live-root")}`,
    `--pod-manifest-path=${manifests}`,
    "--healthz-port=0",
  ], { stdio: ["ignore", "ignore", "pipe"] });
  proc.stderr!.on("data", (d) => (log += d));
  const samples: number[] = [];
  const main = `io.kubernetes.container.name=main`;
  try {
    for (let i = 0; i < runs; i++) {
      await writeFile(join(manifests, "live.yaml"), LIVE);
      await until(performance.now(), async () => await running(LABEL) === 2);
      const [victim] = (await docker.listContainers([LABEL, main])).filter((c) => c.State === "running");
      const failuresBefore = log.split("Liveness probe failed").length;
      await docker.exec(victim.Id, ["rm", "/tmp/ok"]);
      await until(
        performance.now(),
        async () =>
          (await docker.listContainers([LABEL, main])).some((c) =>
            c.State === "running" && c.Id !== victim.Id
          ),
      );
      // The kubelet's stderr may arrive a little after the replacement shows in the Engine.
      const failureLine = () =>
        log.split("\n").filter((l) => l.includes("Liveness probe failed"))[failuresBefore - 1];
      await until(performance.now(), () => Promise.resolve(failureLine() !== undefined), 5_000);
      const failure = failureLine();
      const [next] = (await docker.listContainers([LABEL, main])).filter((c) => c.State === "running");
      const started = Date.parse((await docker.inspectContainer(next.Id))!.State.StartedAt);
      samples.push(started - klogTime(failure));
      await rm(join(manifests, "live.yaml"));
      await until(performance.now(), async () => await existing(LABEL) === 0);
    }
  } finally {
    process.kill(proc.pid!, "SIGTERM");
  }
  record("kubelet: liveness probe's 3rd failure -> replacement running", samples);
}

async function cleanupAll(): Promise<void> {
  for (const label of [LABEL, FLOOR_LABEL]) {
    for (const c of await docker.listContainers([label])) await docker.removeContainer(c.Id);
  }
}

const dir = await mkdtemp(join(tmpdir(), "kubelet-bench-"));
try {
  await cleanupAll();
  if (scenario === "all" || scenario === "walkthrough") {
    await walkthrough(dir);
    await walkthroughFloor(dir);
  }
  if (scenario === "all" || scenario === "restart") await restart(dir);
  if (scenario === "all" || scenario === "liveness") await liveness(dir);
} finally {
  await cleanupAll();
  await rm(dir, { recursive: true, force: true });
}

console.log(`\n${runs} runs each; milliseconds\n`);
console.log(`| measurement | median | p90 |`);
console.log(`| --- | ---: | ---: |`);
for (const [name, samples] of rows) {
  const { median, p90 } = stats(samples);
  console.log(`| ${name} | ${median.toFixed(0)} | ${p90.toFixed(0)} |`);
}
process.exit(0);
