import { test } from "node:test";
import assert from "node:assert/strict";
import type { ContainerInspect } from "../../src/docker/types.ts";
import { type UnheardDeps, unheardStopSignal } from "../../src/runtime/unheard_stop_signal.ts";

// The Engine's inspect and this host's /proc, faked: the cases here (another
// PID namespace, a pid reused mid-check) cannot be made to happen on demand.

const ID = "28b5db182be3546b42b2adcd0015bf9f69f9b2feae6e4e9494b5c4a0ee37eee2";
const CGROUP = `0::/docker/${ID}\n`;
const SHELL = "Name:\tsh\nTracerPid:\t0\nNSpid:\t4242\t1\nSigBlk:\t0000000000000000\n" +
  "SigIgn:\t0000000000000004\nSigCgt:\t0000000000010002\n";

function inspect(over: { running?: boolean; pid?: number; stopSignal?: string } = {}): ContainerInspect {
  return {
    Id: ID,
    Name: "/k8s_app",
    Created: "",
    Image: "",
    State: {
      Status: "running",
      Running: over.running ?? true,
      OOMKilled: false,
      ExitCode: 0,
      Error: "",
      StartedAt: "",
      FinishedAt: "",
      Pid: over.pid ?? 4242,
    },
    Config: { Image: "busybox", Labels: {}, StopSignal: over.stopSignal },
    HostConfig: {},
    NetworkSettings: {},
  };
}

function deps(c: ContainerInspect | null, files: Record<string, string | string[]>): UnheardDeps {
  const reads = new Map<string, number>();
  return {
    docker: { inspectContainer: () => Promise.resolve(c) },
    fs: {
      readTextFile: (path) => {
        const v = files[path];
        const n = reads.get(path) ?? 0;
        reads.set(path, n + 1);
        const text = Array.isArray(v) ? v[Math.min(n, v.length - 1)] : v;
        return text === undefined ? Promise.reject(new Error(`ENOENT ${path}`)) : Promise.resolve(text);
      },
    },
  };
}

test("unheardStopSignal finds a shell PID 1 deaf to SIGTERM", async () => {
  const got = await unheardStopSignal(
    deps(inspect(), { "/proc/4242/cgroup": CGROUP, "/proc/4242/status": SHELL }),
    ID,
  );
  assert.deepEqual(got, { signal: "SIGTERM", why: "init-default" });
});

test("unheardStopSignal names the container's own stop signal", async () => {
  const files = { "/proc/4242/cgroup": CGROUP, "/proc/4242/status": SHELL };
  assert.deepEqual(await unheardStopSignal(deps(inspect({ stopSignal: "SIGQUIT" }), files), ID), {
    signal: "SIGQUIT",
    why: "ignored",
  });
  assert.equal(await unheardStopSignal(deps(inspect({ stopSignal: "SIGINT" }), files), ID), undefined);
});

test("unheardStopSignal keeps the grace period when it cannot be sure", async () => {
  const files = { "/proc/4242/cgroup": CGROUP, "/proc/4242/status": SHELL };
  const cases: [string, UnheardDeps][] = [
    ["the container is gone", deps(null, files)],
    ["the container has exited", deps(inspect({ running: false, pid: 0 }), files)],
    ["the Engine gives no pid", deps(inspect({ pid: 0 }), files)],
    ["/proc cannot be read (a tcp:// Engine elsewhere)", deps(inspect(), {})],
    // Another host's or PID namespace's pid 4242 is some other process.
    ["the pid is another cgroup's", deps(inspect(), { ...files, "/proc/4242/cgroup": "0::/user.slice\n" })],
    // The container exited and its pid went to a new process between the reads.
    [
      "the pid changed hands mid-check",
      deps(inspect(), { ...files, "/proc/4242/cgroup": [CGROUP, "0::/\n"] }),
    ],
    ["the status is garbled", deps(inspect(), { ...files, "/proc/4242/status": "Name:\tsh\n" })],
    ["the stop signal is unknown", deps(inspect({ stopSignal: "SIGNOPE" }), files)],
  ];
  for (const [why, d] of cases) assert.equal(await unheardStopSignal(d, ID), undefined, why);
  const throwing: UnheardDeps = {
    ...deps(null, files),
    docker: { inspectContainer: () => Promise.reject(new Error("500")) },
  };
  assert.equal(await unheardStopSignal(throwing, ID), undefined, "the Engine fails");
});
