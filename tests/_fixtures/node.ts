/**
 * Node helpers shared by the end-to-end tests (through `tests/e2e/_harness.ts`) and the
 * benchmarks (`scripts/bench*.ts`): run the kubelet the way a user does (the compiled binary, or
 * `deno run`), read `docker` and `/pods`, clean up. Every wait is bounded. Nothing here imports
 * from `tests/e2e/`, so a benchmark depends on no test file.
 *
 * @module
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import process from "node:process";
import type { Pod, PodList } from "../../src/api/types.ts";
import { checkPodList } from "./pod_list_check.ts";
import { klogMessage } from "../_klog.ts";

const exec = promisify(execFile);

/**
 * A node name for a test: `E2E_NODE_PREFIX` (default `e2e-`) and `name`, so that
 * runs in parallel work trees on one Docker Engine keep to their own containers.
 */
export function e2eNode(name: string): string {
  return `${process.env.E2E_NODE_PREFIX ?? "e2e-"}${name}`;
}

/** A port for a test: `port` plus `E2E_PORT_OFFSET` (default 0), for the same reason. */
export function e2ePort(port: number): number {
  return port + Number(process.env.E2E_PORT_OFFSET ?? 0);
}
export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
export const BINARY = `${ROOT}/dist/kubelet`;
const DENO = `${ROOT}/node_modules/.bin/deno`;

/** Runs a command; resolves stdout (trimmed). Throws with stderr on failure. */
export async function run(cmd: string, args: string[]): Promise<string> {
  const { stdout } = await exec(cmd, args, { maxBuffer: 64 << 20 });
  return stdout.trim();
}

/**
 * The Engine the tests drive: `E2E_DOCKER_ENDPOINT` (e.g. Podman's
 * `unix:///run/podman/podman.sock`), else the docker CLI's own default. The
 * kubelet gets it as `--docker-endpoint`, the docker CLI as `-H`, so the same
 * test files run against Docker and against Podman's compatible service.
 */
export const ENGINE_ENDPOINT = process.env.E2E_DOCKER_ENDPOINT || undefined;

/** `docker ...`, against {@link ENGINE_ENDPOINT} when set. */
export const docker = (...args: string[]) =>
  run("docker", ENGINE_ENDPOINT ? ["-H", ENGINE_ENDPOINT, ...args] : args);

/** Polls `fn` every `intervalMs` until it returns a truthy value; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 30_000, intervalMs = 200 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`,
  );
}

/** A temporary directory for one test, removed by `cleanup`. */
export async function tempDir(prefix: string): Promise<string> {
  return await mkdtemp(join(tmpdir(), `kubelet-e2e-${prefix}-`));
}

export interface RunningKubelet {
  proc: ChildProcess;
  port: number;
  node: string;
  /** Everything the kubelet logged so far. */
  logs(): string;
  /** The log as a person reads it: each klog line's message and fields, unquoted (other lines as they are). */
  messages(): string;
  /** Sends `signal` and resolves the exit code (bounded: SIGKILL after 60 s). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/** Starts the kubelet (`binary`, or `deno` for `deno run src/main.ts`) and waits for /healthz. */
export async function startKubelet(opts: {
  node: string;
  port: number;
  manifests?: string;
  rootDir: string;
  runtime?: "binary" | "deno";
  /**
   * The /healthz listener's port: 0 (off) unless a test asks, since many kubelets run at once;
   * null passes no flag (the port then comes from --config, or the default 10248).
   */
  healthzPort?: number | null;
  args?: string[];
  /** Environment variables added to this process's for the kubelet. */
  env?: Record<string, string>;
}): Promise<RunningKubelet> {
  const args = [
    `--hostname-override=${opts.node}`,
    `--read-only-port=${opts.port}`,
    ...(opts.healthzPort === null ? [] : [`--healthz-port=${opts.healthzPort ?? 0}`]),
    `--root-dir=${opts.rootDir}`,
    ...(opts.manifests ? [`--pod-manifest-path=${opts.manifests}`] : []),
    ...(ENGINE_ENDPOINT ? [`--docker-endpoint=${ENGINE_ENDPOINT}`] : []),
    ...(opts.args ?? []),
  ];
  const [cmd, argv] = opts.runtime === "deno"
    ? [DENO, ["run", "-A", `${ROOT}/src/main.ts`, ...args]]
    : [BINARY, args];
  const proc = spawn(cmd, argv, {
    stdio: ["ignore", "pipe", "pipe"],
    env: opts.env ? { ...process.env, ...opts.env } : process.env,
  });
  let logs = "";
  proc.stdout!.on("data", (d) => (logs += d));
  proc.stderr!.on("data", (d) => (logs += d));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const kubelet: RunningKubelet = {
    proc,
    port: opts.port,
    node: opts.node,
    logs: () => logs,
    messages: () =>
      logs.split("\n").map((line) => {
        try {
          return klogMessage(line);
        } catch {
          return line;
        }
      }).join("\n"),
    exited,
    async stop(signal = "SIGTERM") {
      // Gone already (exited, or killed by a signal: then exitCode stays null): nothing to signal.
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      // process.kill, not proc.kill: Deno's child_process reports a child it signalled
      // itself as killed by that signal, whatever the child's own exit code was.
      process.kill(proc.pid!, signal);
      const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  try {
    await waitFor("kubelet /healthz", async () => {
      if (proc.exitCode !== null) throw new Error(`kubelet exited ${proc.exitCode}:\n${logs}`);
      return (await fetch(`http://127.0.0.1:${opts.port}/healthz`)).ok;
    }, { timeoutMs: 20_000 });
  } catch (error) {
    // No kubelet is left running when it never answered: the caller gets no handle to stop it.
    await kubelet.stop("SIGKILL");
    throw error;
  }
  return kubelet;
}

/** A fresh node: its leftovers cleaned, a temporary directory with `manifests/` (and `root/` for --root-dir). */
export async function freshNode(node: string): Promise<{ dir: string; manifests: string; rootDir: string }> {
  const dir = await tempDir(node);
  await cleanup(node);
  await mkdir(`${dir}/manifests`);
  return { dir, manifests: `${dir}/manifests`, rootDir: `${dir}/root` };
}

/**
 * GET /pods from a kubelet. Every answer is checked against the v1 schema and
 * decoded as a client would (`checkPodList`), so each scenario with pods checks it.
 */
export async function getPods(port: number): Promise<PodList> {
  const res = await fetch(`http://127.0.0.1:${port}/pods`);
  if (!res.ok) throw new Error(`/pods: ${res.status}`);
  const body = await res.json();
  checkPodList(body);
  return body;
}

/** The pod named `name` in /pods, if listed. */
export async function getPod(port: number, name: string): Promise<Pod | undefined> {
  return (await getPods(port)).items.find((p) => p.metadata.name === name);
}

/** Docker names of this node's containers (running only unless `all`). */
export async function nodeContainers(node: string, all = false): Promise<string[]> {
  const out = await docker(
    "ps",
    ...(all ? ["-a"] : []),
    "--filter",
    `label=io.kubernetes.standalone.node=${node}`,
    "--format",
    "{{.Names}}",
  );
  return out ? out.split("\n").sort() : [];
}

/** Removes every container and volume of `node`, and the given directories. */
export async function cleanup(node: string, ...dirs: string[]): Promise<void> {
  // Infra containers last: Podman refuses to remove a container that others joined.
  for (const infra of [false, true]) {
    const ids = await docker(
      "ps",
      "-aq",
      "--filter",
      `label=io.kubernetes.standalone.node=${node}`,
      "--filter",
      `label=io.kubernetes.docker.type=${infra ? "podsandbox" : "container"}`,
    );
    if (ids) await docker("rm", "-f", "-v", ...ids.split("\n"));
  }
  const rest = await docker("ps", "-aq", "--filter", `label=io.kubernetes.standalone.node=${node}`);
  if (rest) await docker("rm", "-f", "-v", ...rest.split("\n"));
  const vols = await docker("volume", "ls", "-q", "--filter", `label=io.kubernetes.standalone.node=${node}`);
  if (vols) await docker("volume", "rm", "-f", ...vols.split("\n"));
  for (const d of dirs) await rm(d, { recursive: true, force: true });
}
