/**
 * The embedded pause program as an image on the real Engine: it keeps
 * running, exits on SIGTERM, and reaps the pod's orphaned processes.
 *
 * @module
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import process from "node:process";

import { pauseBinary } from "../../src/docker/pause_binary.ts";
import { tar } from "../../src/docker/tar.ts";

/** Docker objects of this file carry the run's prefix, so runs sharing one Engine keep apart. */
const PREFIX = process.env.E2E_NODE_PREFIX ?? "e2e-";
const IMAGE = `${PREFIX}pause:test-${process.pid}`;
const TIMEOUT = 180_000;

/** Runs the docker CLI and returns its trimmed standard output; throws on failure. */
function docker(args: string[], input?: Uint8Array): string {
  return execFileSync("docker", args, { input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] }).trim();
}

/** Removes containers and images left by this file, ignoring ones that do not exist. */
function removeQuietly(kind: "container" | "image", ...names: string[]): void {
  const args = kind === "container" ? ["rm", "-f", "-v", ...names] : ["rmi", "-f", ...names];
  spawnSync("docker", args, { stdio: "ignore" });
}

/** Builds the pause image for the engine's architecture the way the kubelet will: a tar with /pause. */
function importPauseImage(): void {
  const arch = docker(["version", "--format", "{{.Server.Arch}}"]);
  const layer = tar([{ name: "/pause", data: pauseBinary(arch), mode: 0o755 }]);
  docker(["import", "--change", 'ENTRYPOINT ["/pause"]', "-", IMAGE], layer);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Host pids of the processes whose parent is `pid`, with their state letter (Z for a zombie). */
function childrenOf(pid: number): { pid: number; state: string }[] {
  const children = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid ...": comm may hold spaces, so read after the last ")".
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(ppid) === pid) children.push({ pid: Number(name), state });
  }
  return children;
}

function imageExists(image: string): boolean {
  return spawnSync("docker", ["image", "inspect", image], { stdio: "ignore" }).status === 0;
}

test(
  "the pause image keeps running and exits 0 on docker stop (it handles SIGTERM)",
  { timeout: TIMEOUT },
  async () => {
    const name = `${PREFIX}pause-stop-${process.pid}`;
    removeQuietly("container", name);
    try {
      importPauseImage();
      docker(["run", "-d", "--name", name, IMAGE]);
      await sleep(1000);
      assert.equal(docker(["inspect", "--format", "{{.State.Status}}", name]), "running");

      docker(["stop", "-t", "10", name]);
      // Had pause ignored SIGTERM, docker would have waited out the 10 s grace period and then
      // SIGKILLed it: exit code 137. Exit code 0 is pause's own, on SIGTERM.
      assert.equal(docker(["inspect", "--format", "{{.State.ExitCode}}", name]), "0");
    } finally {
      removeQuietly("container", name);
      removeQuietly("image", IMAGE);
    }
  },
);

test(
  "the pause container reaps processes of the pod re-parented to it",
  {
    timeout: TIMEOUT,
    skip: imageExists("busybox:latest") ? false : "needs busybox:latest (scripts/test_images.sh)",
  },
  async () => {
    const sandbox = `${PREFIX}pause-reap-${process.pid}`;
    const app = `${PREFIX}pause-reap-app-${process.pid}`;
    removeQuietly("container", app, sandbox);
    try {
      importPauseImage();
      docker(["run", "-d", "--name", sandbox, IMAGE]);
      const pausePid = Number(docker(["inspect", "--format", "{{.State.Pid}}", sandbox]));
      // The subshell exits at once, so its `sleep 2` is re-parented to PID 1 of the shared
      // PID namespace: pause. When that sleep exits, only pause can reap it.
      const orphaning = ["sh", "-c", "(sleep 2 &); exec sleep 60"];
      docker(["run", "-d", "--name", app, `--pid=container:${sandbox}`, "busybox:latest", ...orphaning]);

      let adopted: { pid: number; state: string }[] = [];
      for (let i = 0; i < 50 && adopted.length === 0; i++) {
        adopted = childrenOf(pausePid);
        if (adopted.length === 0) await sleep(100);
      }
      assert.equal(adopted.length, 1, "pause adopted the orphaned sleep");

      let left = adopted;
      for (let i = 0; i < 80 && left.length > 0; i++) {
        await sleep(100);
        left = childrenOf(pausePid);
      }
      assert.deepEqual(left, [], "no child (zombie or not) is left under pause");
      assert.equal(docker(["inspect", "--format", "{{.State.Status}}", sandbox]), "running");
    } finally {
      removeQuietly("container", app, sandbox);
      removeQuietly("image", IMAGE);
    }
  },
);
