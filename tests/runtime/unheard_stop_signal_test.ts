import { test } from "node:test";
import assert from "node:assert/strict";
import type { ContainerInspect } from "../../src/docker/types.ts";
import { type UnheardDeps, unheardStopSignal } from "../../src/runtime/unheard_stop_signal.ts";

// The Engine's inspect and this host's /proc, faked: the cases here (another
// PID namespace, a pid reused mid-check) cannot be made to happen on demand.

const ID = "28b5db182be3546b42b2adcd0015bf9f69f9b2feae6e4e9494b5c4a0ee37eee2";
const CGROUP = `0::/docker/${ID}\n`;
const SHELL = "Name:\tsh\nTracerPid:\t0\nNSpid:\t4242\t1\nSigBlk:\t0000000000000000\n" +
  "SigIgn:\t0000000000000004\nSigCgt:\t0000000000010002\nvoluntary_ctxt_switches:\t40\n" +
  "nonvoluntary_ctxt_switches:\t2\n";
const SHELL_LATER = SHELL.replace("voluntary_ctxt_switches:\t40", "voluntary_ctxt_switches:\t41");
/** The shell in wait4 (x86_64). */
const WAIT4 = "61 0xffffffff 0x7ffd52f1c2dc 0x0 0x0 0x0 0x0 0x7ffd52f1c2a8 0x7f3c6b1f6a3a\n";
const PROC = { "/proc/4242/cgroup": CGROUP, "/proc/4242/status": SHELL, "/proc/4242/syscall": WAIT4 };

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

function deps(c: ContainerInspect | null, files: Record<string, string | string[] | undefined>): UnheardDeps {
  const reads = new Map<string, number>();
  return {
    arch: "amd64",
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
  const got = await unheardStopSignal(deps(inspect(), PROC), ID);
  assert.deepEqual(got, { signal: "SIGTERM", why: "init-default" });
});

test("unheardStopSignal names the container's own stop signal", async () => {
  const files = PROC;
  assert.deepEqual(await unheardStopSignal(deps(inspect({ stopSignal: "SIGQUIT" }), files), ID), {
    signal: "SIGQUIT",
    why: "ignored",
  });
  assert.equal(await unheardStopSignal(deps(inspect({ stopSignal: "SIGINT" }), files), ID), undefined);
});

test("unheardStopSignal keeps the grace period when it cannot be sure", async () => {
  const files = PROC;
  const sigwait = "128 0x7ffc7d42ab18 0x0 0x0 0x8 0x0 0x0 0x7ffc7d42ab18 0x4000a5\n";
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
    // tini, dumb-init, pause: SigBlk does not show the mask rt_sigtimedwait keeps aside.
    ["PID 1 waits in rt_sigtimedwait", deps(inspect(), { ...files, "/proc/4242/syscall": sigwait })],
    ["/proc/<pid>/syscall cannot be read", deps(inspect(), { ...files, "/proc/4242/syscall": undefined })],
    ["an architecture whose syscall numbers are not known", { ...deps(inspect(), files), arch: "mips64le" }],
    // It switched between every pair of reads: no two reads show one moment.
    [
      "PID 1 never holds still",
      deps(inspect(), {
        ...files,
        "/proc/4242/status": [SHELL, SHELL_LATER, SHELL, SHELL_LATER, SHELL, SHELL_LATER],
      }),
    ],
  ];
  for (const [why, d] of cases) assert.equal(await unheardStopSignal(d, ID), undefined, why);
  const throwing: UnheardDeps = {
    ...deps(null, files),
    docker: { inspectContainer: () => Promise.reject(new Error("500")) },
  };
  assert.equal(await unheardStopSignal(throwing, ID), undefined, "the Engine fails");
});

test("unheardStopSignal reads again when PID 1 moved between two reads", async () => {
  const files = { ...PROC, "/proc/4242/status": [SHELL, SHELL_LATER, SHELL_LATER, SHELL_LATER] };
  assert.deepEqual(await unheardStopSignal(deps(inspect(), files), ID), {
    signal: "SIGTERM",
    why: "init-default",
  });
});
