/**
 * How fast pods come up, the kubelet against the Engine's own floor and
 * `podman kube play`, in one run with the contenders alternating, timed from
 * the Engine's event stream (each container's `start` event), never by
 * polling. Prints a table of median and p90.
 *
 *   deno run -A scripts/bench_sync_loop.ts [--runs 10] [--pods 100] [--many-runs 2]
 *     [--idle-settle 30] [--idle-window 60]
 *
 * `--many-runs 0` measures the seed pod only, `--runs 0` the N pods only.
 *
 * seed: the walkthrough pod (examples/nginx.yaml) from its manifest written
 *   (renamed into place) to its 3 containers started.
 *   - floor, sequential: this script creates and starts the infra container
 *     and both containers one call after another;
 *   - floor, parallel create: the containers are created while the infra
 *     container starts, then started in order;
 *   - podman kube play of the same manifest (when podman is installed; its
 *     own event stream is not the Engine's, so it is timed to the command's
 *     return, which is after its containers started);
 *   - the kubelet, and the kubelet while another pod of its waits out a 30 s
 *     grace period.
 * many: N one-container pods written at once to all 2N containers started;
 *   the floor creates and starts the same containers with 8 parallel workers.
 * idle: the kubelet's CPU (share of one core) with the N pods running, over
 *   `--idle-window` seconds (default 60: one full resync period, three file
 *   re-reads, six relists) from `--idle-settle` seconds (default 30) after the
 *   last start, and its RSS at the end of that window.
 *
 * Needs dist/kubelet (npm run build) and the test images (scripts/setup.sh).
 * Uses node names `bench-loop*`, ports 18398-18399 and a temporary directory.
 *
 * @module
 */
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import process from "node:process";
import { parse } from "yaml";
import type { Pod } from "../src/api/types.ts";
import { platform } from "../src/platform/mod.ts";
import { dockerClientFor } from "../src/run.ts";
import { DEFAULT_PAUSE_IMAGE, ensurePauseImage } from "../src/runtime/pause_image.ts";
import { createLogger } from "../src/log.ts";

const exec = promisify(execFile);
const ROOT = new URL("..", import.meta.url).pathname;
const PORT = 18399;
const FLOOR = "standalone-kubelet.bench-loop=floor";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(flag("runs", "10"));
const podCount = Number(flag("pods", "100"));
const manyRuns = Number(flag("many-runs", "2"));
const idleSettleMs = Number(flag("idle-settle", "30")) * 1000;
const idleWindowMs = Number(flag("idle-window", "60")) * 1000;
const docker = dockerClientFor(platform, platform.env("DOCKER_HOST") ?? "unix:///var/run/docker.sock");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Follows the Engine's `start` events of containers carrying `label` and
 * resolves the event time (ms since the epoch) of the `count`th one.
 */
function startEvents(
  label: string,
  count: number,
  timeoutMs = 300_000,
): { done: Promise<number>; stop(): void } {
  const abort = new AbortController();
  const done = (async () => {
    let seen = 0;
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      for await (const e of docker.events([label], abort.signal)) {
        if (e.Action === "start" && ++seen === count) return Number(BigInt(e.timeNano) / 1_000_000n);
      }
    } finally {
      clearTimeout(timer);
    }
    throw new Error(`saw ${seen} of ${count} start events`);
  })();
  return { done, stop: () => abort.abort() };
}

/** Times `act` (started at wall-clock t0) to the `count`th start event of `label`. */
async function timeStarts(label: string, count: number, act: () => Promise<unknown>): Promise<number> {
  const events = startEvents(label, count);
  await sleep(50); // the event stream is open
  const t0 = Date.now();
  await act();
  const at = await events.done;
  return at - t0;
}

async function removeAll(label: string): Promise<void> {
  const rows = await docker.listContainers([label]);
  await Promise.all(rows.map((r) => docker.removeContainer(r.Id)));
}

function stats(samples: number[]): { median: number; p90: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p90: at(0.9) };
}

const rows: [string, number[], string][] = [];
function record(name: string, samples: number[], unit = "ms"): void {
  rows.push([name, samples, unit]);
  const { median, p90 } = stats(samples);
  console.error(`${name}: median ${median.toFixed(unit === "ms" ? 0 : 2)} ${unit}, p90 ${p90.toFixed(2)}`);
}

async function startKubelet(node: string, manifests: string, rootDir: string) {
  const proc = spawn(`${ROOT}dist/kubelet`, [
    `--hostname-override=${node}`,
    `--read-only-port=${PORT}`,
    `--root-dir=${rootDir}`,
    `--pod-manifest-path=${manifests}`,
  ], { stdio: "ignore" });
  for (let i = 0; i < 200; i++) {
    if (await fetch(`http://127.0.0.1:${PORT}/healthz`).then((r) => r.ok, () => false)) return proc;
    await sleep(50);
  }
  throw new Error("kubelet did not answer /healthz");
}

async function stopKubelet(proc: ReturnType<typeof spawn>): Promise<void> {
  const exited = new Promise((r) => proc.on("exit", r));
  proc.kill("SIGKILL");
  await exited;
}

/** Writes a file elsewhere, then renames it into place, as the README advises. */
async function place(dir: string, name: string, text: string): Promise<void> {
  await writeFile(join(dir, `.${name}.tmp`), text);
  await rename(join(dir, `.${name}.tmp`), join(dir, name));
}

type Body = Parameters<typeof docker.createContainer>[1];

/** The seed pod's containers as Engine create bodies (the floor's view of the pod). */
function seedBodies(pod: Pod, labels: Record<string, string>) {
  const infra: Body = { Image: DEFAULT_PAUSE_IMAGE, Labels: labels, HostConfig: { IpcMode: "shareable" } };
  const apps = (infraId: string): Body[] =>
    pod.spec.containers.map((c) => ({
      Image: c.image,
      Cmd: [...(c.command ?? []), ...(c.args ?? [])].length
        ? [...(c.command ?? []), ...(c.args ?? [])]
        : undefined,
      Labels: labels,
      HostConfig: { NetworkMode: `container:${infraId}`, IpcMode: `container:${infraId}` },
    }));
  return { infra, apps };
}

async function floorSequential(pod: Pod, round: number): Promise<void> {
  const { infra, apps } = seedBodies(pod, { "standalone-kubelet.bench-loop": "floor" });
  const id = await docker.createContainer(`bench-loop-floor-${round}-infra`, infra);
  await docker.startContainer(id);
  for (const [i, body] of apps(id).entries()) {
    await docker.startContainer(await docker.createContainer(`bench-loop-floor-${round}-${i}`, body));
  }
}

async function floorParallel(pod: Pod, round: number): Promise<void> {
  const { infra, apps } = seedBodies(pod, { "standalone-kubelet.bench-loop": "floor" });
  const id = await docker.createContainer(`bench-loop-floor-${round}-infra`, infra);
  const [, ...ids] = await Promise.all([
    docker.startContainer(id),
    ...apps(id).map((body, i) => docker.createContainer(`bench-loop-floor-${round}-${i}`, body)),
  ]);
  for (const app of ids as string[]) await docker.startContainer(app);
}

async function hasPodman(): Promise<boolean> {
  return await exec("podman", ["--version"]).then(() => true, () => false);
}

async function podmanPlay(file: string): Promise<number> {
  const t0 = Date.now();
  await exec("podman", ["kube", "play", file]);
  const ms = Date.now() - t0;
  await exec("podman", ["kube", "down", file]).catch(() => {});
  return ms;
}

/** A busybox pod whose container catches SIGTERM and keeps running: its removal waits out 30 s. */
const HOLD = `apiVersion: v1
kind: Pod
metadata: {name: hold}
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: ["sh", "-c", "trap 'echo TERM' TERM; while true; do sleep 1; done"]
`;

const tiny = (i: number) =>
  `apiVersion: v1
kind: Pod
metadata: {name: p${i}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: main, image: busybox, imagePullPolicy: Never, command: ["sleep", "100000"]}
`;

async function seed(dir: string): Promise<void> {
  const text = await readFile(`${ROOT}examples/nginx.yaml`, "utf8");
  const pod = parse(text) as Pod;
  await ensurePauseImage(docker, DEFAULT_PAUSE_IMAGE, platform.arch, createLogger({ write: () => {} }));
  const podman = await hasPodman();
  if (!podman) console.error("podman is not installed: its line is left out");
  const node = "bench-loop";
  const label = `io.kubernetes.standalone.node=${node}`;
  const manifests = join(dir, "seed");
  await mkdir(manifests);
  const kubelet = await startKubelet(node, manifests, join(dir, "root"));
  const samples: Record<string, number[]> = { seq: [], par: [], podman: [], kubelet: [], busy: [] };
  try {
    for (let round = 0; round < runs; round++) {
      samples.seq.push(await timeStarts(FLOOR, 3, () => floorSequential(pod, round)));
      await removeAll(FLOOR);
      samples.par.push(await timeStarts(FLOOR, 3, () => floorParallel(pod, round)));
      await removeAll(FLOOR);
      if (podman) samples.podman.push(await podmanPlay(`${ROOT}examples/nginx.yaml`));

      samples.kubelet.push(await timeStarts(label, 3, () => place(manifests, "nginx.yaml", text)));
      await rm(join(manifests, "nginx.yaml"));
      await waitGone(label);

      // The same while another pod of the kubelet waits out its 30 s grace period.
      await place(manifests, "hold.yaml", HOLD);
      await timeStarts(label, 2, async () => {});
      await rm(join(manifests, "hold.yaml"));
      await sleep(200);
      samples.busy.push(await timeStarts(label, 3, () => place(manifests, "nginx.yaml", text)));
      await rm(join(manifests, "nginx.yaml"));
      await removeAll(label); // the held pod too: the next round starts clean
      await waitGone(label);
      console.error(`seed round ${round + 1}/${runs} done`);
    }
  } finally {
    await stopKubelet(kubelet);
    await removeAll(label);
    await removeAll(FLOOR);
  }
  record("seed pod: floor, sequential API calls", samples.seq);
  record("seed pod: floor, containers created while infra starts", samples.par);
  if (podman) record("seed pod: podman kube play (to its return)", samples.podman);
  record("seed pod: kubelet", samples.kubelet);
  record("seed pod: kubelet, while another pod waits out 30 s grace", samples.busy);
}

async function waitGone(label: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await docker.listContainers([label])).length === 0) return;
    await sleep(100);
  }
  throw new Error(`containers of ${label} still there`);
}

/** CPU seconds (user + system) a process has used so far. */
async function cpuSeconds(pid: number): Promise<number> {
  const f = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** The pids of the Engine's daemons (dockerd, containerd), to see what each contender costs them. */
async function enginePids(): Promise<number[]> {
  const out = await exec("pgrep", ["-x", "dockerd|containerd"]).then((r) => r.stdout, () => "");
  return out.split("\n").filter(Boolean).map(Number);
}

async function engineCpu(): Promise<number> {
  let sum = 0;
  for (const pid of await enginePids()) sum += await cpuSeconds(pid).catch(() => 0);
  return sum;
}

async function many(dir: string): Promise<void> {
  const kube: number[] = [], floor: number[] = [], cpu: number[] = [], rss: number[] = [];
  const engineFloor: number[] = [], engineKube: number[] = [], kubeStartCpu: number[] = [];
  for (let round = 0; round < manyRuns; round++) {
    // Floor: infra + container per pod, 8 parallel workers.
    const queue = [...Array(podCount).keys()];
    let e0 = await engineCpu();
    floor.push(
      await timeStarts(FLOOR, 2 * podCount, async () => {
        await Promise.all([...Array(8)].map(async () => {
          for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
            const labels = { "standalone-kubelet.bench-loop": "floor" };
            const infra = await docker.createContainer(`bench-loop-many-${i}-infra`, {
              Image: DEFAULT_PAUSE_IMAGE,
              Labels: labels,
              HostConfig: { IpcMode: "shareable" },
            });
            await docker.startContainer(infra);
            const app = await docker.createContainer(`bench-loop-many-${i}`, {
              Image: "busybox",
              Cmd: ["sleep", "100000"],
              Labels: labels,
              HostConfig: { NetworkMode: `container:${infra}`, IpcMode: `container:${infra}` },
            });
            await docker.startContainer(app);
          }
        }));
      }),
    );
    engineFloor.push(await engineCpu() - e0);
    await removeAll(FLOOR);

    const node = `bench-loop-many${round}`;
    const label = `io.kubernetes.standalone.node=${node}`;
    const manifests = join(dir, `many${round}`);
    await mkdir(manifests);
    const kubelet = await startKubelet(node, manifests, join(dir, `root-many${round}`));
    try {
      e0 = await engineCpu();
      const k0 = await cpuSeconds(kubelet.pid!);
      kube.push(
        await timeStarts(label, 2 * podCount, async () => {
          // Written elsewhere, then all renamed in at once.
          const staging = join(dir, `staging${round}`);
          await mkdir(staging);
          await Promise.all(
            [...Array(podCount).keys()].map((i) => writeFile(join(staging, `p${i}.yaml`), tiny(i))),
          );
          await Promise.all(
            [...Array(podCount).keys()].map((i) =>
              rename(join(staging, `p${i}.yaml`), join(manifests, `p${i}.yaml`))
            ),
          );
        }),
      );
      engineKube.push(await engineCpu() - e0);
      kubeStartCpu.push(await cpuSeconds(kubelet.pid!) - k0);
      // Idle: let the starts settle, then the CPU over the window and the RSS at its end.
      await sleep(idleSettleMs);
      const ticks = async () => {
        const f = (await readFile(`/proc/${kubelet.pid}/stat`, "utf8")).split(") ")[1].split(" ");
        return Number(f[11]) + Number(f[12]);
      };
      const c0 = await ticks(), t0 = Date.now();
      await sleep(idleWindowMs);
      const c1 = await ticks();
      cpu.push(((c1 - c0) / 100) / ((Date.now() - t0) / 1000) * 100);
      const status = await readFile(`/proc/${kubelet.pid}/status`, "utf8");
      rss.push(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
    } finally {
      await stopKubelet(kubelet);
      await removeAll(label);
    }
    console.error(`many round ${round + 1}/${manyRuns} done`);
  }
  record(`${podCount} pods: floor, 8 parallel API workers`, floor);
  record(`${podCount} pods: kubelet`, kube);
  record(`${podCount} pods: dockerd + containerd CPU, floor`, engineFloor, "s");
  record(`${podCount} pods: dockerd + containerd CPU, kubelet`, engineKube, "s");
  record(`${podCount} pods: the kubelet's own CPU while they start`, kubeStartCpu, "s");
  const window = `${idleWindowMs / 1000} s, ${idleSettleMs / 1000} s after the last start`;
  record(`kubelet idle CPU with ${podCount} pods over ${window} (% of a core)`, cpu, "%");
  record(`kubelet RSS with ${podCount} pods, at the end of that (MiB)`, rss, "MiB");
}

const dir = await mkdtemp(join(tmpdir(), "bench-loop-"));
try {
  if (runs > 0) await seed(dir);
  if (manyRuns > 0) await many(dir);
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log("| measurement | median | p90 |");
console.log("| --- | ---: | ---: |");
for (const [name, samples, unit] of rows) {
  const { median, p90 } = stats(samples);
  const f = (n: number) => unit === "ms" ? `${n.toFixed(0)} ms` : `${n.toFixed(2)} ${unit}`;
  console.log(`| ${name} | ${f(median)} | ${f(p90)} |`);
}
