/**
 * Benchmarks how fast an edited ConfigMap (and Secret) reaches a running
 * container through its volume: from the edited manifest landing in the
 * manifest directory (renamed into place, as an editor or `kubectl`-like tool
 * saves it) to a loop inside the container reading the new value.
 *
 * One busybox pod mounts a configMap volume (on disk) and a secret volume
 * (tmpfs). Each round, for each object: a `docker exec` loop starts in the
 * container (bounded: at most 30 s, one `cat` every 2 ms) and says it is
 * ready; the manifest is rewritten with a new value; the loop prints the
 * wall-clock time (microseconds, from busybox `adjtimex`: the container shares
 * the host's clock) at which it first read the new value.
 *
 *   deno run -A scripts/bench_config_update.ts [--runs 10] [--node bench-config] [--port 18399]
 *
 * Needs dist/kubelet (npm run build) and the test image busybox:latest.
 *
 * @module
 */
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { promisify } from "node:util";

const exec = promisify(execFile);
const ROOT = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(flag("runs", "10"));
const NODE = flag("node", "bench-config");
const PORT = Number(flag("port", "18399"));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Now, in microseconds since the epoch. */
const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

/** Polls every 50 ms until `fn` gives a value; throws after `timeoutMs`. */
async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function stats(samples: number[]): { median: number; p90: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p90: at(0.9), min: s[0], max: s[s.length - 1] };
}

const configMap = (value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bench}\ndata: {value: "${value}"}\n`;
const secret = (value: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata: {name: bench}\nstringData: {value: "${value}"}\n`;
const pod = `apiVersion: v1
kind: Pod
metadata: {name: bench}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:latest
    imagePullPolicy: Never
    command: ["sleep", "100000"]
    volumeMounts:
    - {name: cm, mountPath: /cm}
    - {name: secret, mountPath: /secret}
  volumes:
  - name: cm
    configMap: {name: bench}
  - name: secret
    secret: {secretName: bench}
`;

/** The loop run inside the container: prints `ready`, then the time (µs) it first reads `want` in `file`. */
const watcher = (file: string, want: string) =>
  `echo ready; i=0; while [ $i -lt 15000 ]; do ` +
  `if [ "$(cat ${file} 2>/dev/null)" = "${want}" ]; then ` +
  `adjtimex | awk '/tv_sec/{s=$2} /tv_usec/{u=$2} END{printf "%d%06d\\n", s, u}'; exit 0; fi; ` +
  `i=$((i+1)); usleep 2000; done; echo timeout; exit 1`;

/**
 * One measurement: starts the watcher, waits for it to be ready, lands the
 * new manifest with a rename, and resolves the delay in milliseconds.
 */
async function round(container: string, file: string, manifest: string, text: string, want: string) {
  const child = spawn("docker", ["exec", container, "sh", "-c", watcher(file, want)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  const done = new Promise<number | null>((resolve) => child.on("exit", resolve));
  await until(
    "the watcher ready",
    () => Promise.resolve(out.startsWith("ready\n") ? true : undefined),
    30_000,
  );
  // A dot-file is not read by the source; the rename is the moment the manifest lands.
  const tmp = join(manifest, "..", `.${Date.now()}.tmp`);
  await writeFile(tmp, text);
  const landed = nowUs();
  await rename(tmp, manifest);
  const code = await done;
  const seen = Number(out.split("\n")[1]);
  if (code !== 0 || !Number.isFinite(seen)) throw new Error(`watcher failed (${code}): ${out}`);
  return (seen - landed) / 1000;
}

const dir = await mkdtemp(join(tmpdir(), "kubelet-bench-config-"));
const manifests = join(dir, "manifests");
await mkdir(manifests);
await writeFile(join(manifests, "cm.yaml"), configMap("v0"));
await writeFile(join(manifests, "secret.yaml"), secret("v0"));
await writeFile(join(manifests, "pod.yaml"), pod);
const kubelet = spawn(`${ROOT}dist/kubelet`, [
  `--hostname-override=${NODE}`,
  `--read-only-port=${PORT}`,
  "--healthz-port=0",
  `--root-dir=${join(dir, "root")}`,
  `--pod-manifest-path=${manifests}`,
], { stdio: ["ignore", "ignore", "pipe"] });
let log = "";
kubelet.stderr!.on("data", (d) => (log += d));
const samples = { configMap: [] as number[], secret: [] as number[] };
try {
  const container = await until("the pod's container running", async () => {
    const list = await (await fetch(`http://127.0.0.1:${PORT}/pods`)).json();
    const status = list.items.find((p: { metadata: { name: string } }) => p.metadata.name === `bench-${NODE}`)
      ?.status?.containerStatuses?.[0];
    return status?.state?.running ? String(status.containerID).replace("docker://", "") : undefined;
  });
  for (let i = 1; i <= runs; i++) {
    const cm = await round(container, "/cm/value", join(manifests, "cm.yaml"), configMap(`v${i}`), `v${i}`);
    samples.configMap.push(cm);
    const s = await round(
      container,
      "/secret/value",
      join(manifests, "secret.yaml"),
      secret(`v${i}`),
      `v${i}`,
    );
    samples.secret.push(s);
    console.error(`round ${i}/${runs}: configMap ${cm.toFixed(0)} ms, secret ${s.toFixed(0)} ms`);
  }
} catch (error) {
  console.error(`kubelet log:\n${log}`);
  throw error;
} finally {
  await rm(join(manifests, "pod.yaml"), { force: true });
  // Torn down by the kubelet (which unmounts the secret's tmpfs), then stopped.
  await until("the pod torn down", async () => {
    const { stdout } = await exec("docker", [
      "ps",
      "-aq",
      "--filter",
      `label=io.kubernetes.standalone.node=${NODE}`,
    ]);
    const mounted = (await readFile("/proc/self/mountinfo", "utf8")).includes(dir);
    return stdout.trim() === "" && !mounted ? true : undefined;
  }).catch((e) => console.error(`teardown: ${e.message}`));
  process.kill(kubelet.pid!, "SIGTERM");
  await rm(dir, { recursive: true, force: true });
}

console.log(
  `\nmanifest edited (renamed into place) -> new value read in the container, ${runs} rounds; milliseconds\n`,
);
console.log("| volume | median | p90 | min | max |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (
  const [name, list] of [["configMap (disk)", samples.configMap], ["secret (tmpfs)", samples.secret]] as const
) {
  const s = stats(list);
  console.log(
    `| ${name} | ${s.median.toFixed(0)} | ${s.p90.toFixed(0)} | ${s.min.toFixed(0)} | ${s.max.toFixed(0)} |`,
  );
}
