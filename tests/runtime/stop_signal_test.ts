import { test } from "node:test";
import assert from "node:assert/strict";
import {
  inSignalWait,
  parseProcStatus,
  parseSignal,
  sameSignalState,
  stopSignalUnheard,
  type Unheard,
} from "../../src/runtime/stop_signal.ts";

/** `/proc/<pid>/status` as Linux 6.x writes it, with the signal fields given. */
function status(
  f: { name?: string; nsPid: string; blk?: string; ign: string; cgt: string; tracer?: string },
): string {
  return [
    `Name:\t${f.name ?? "sh"}`,
    "Umask:\t0022",
    "State:\tS (sleeping)",
    "Tgid:\t11644",
    "Ngid:\t0",
    "Pid:\t11644",
    "PPid:\t11622",
    `TracerPid:\t${f.tracer ?? "0"}`,
    "Uid:\t0\t0\t0\t0",
    "Gid:\t0\t0\t0\t0",
    "FDSize:\t64",
    "Groups:\t0 1 2 3 4 6 10 11 20 26 27 ",
    "NStgid:\t11644\t1",
    `NSpid:\t${f.nsPid}`,
    "NSpgid:\t11644\t1",
    "NSsid:\t11644\t1",
    "Kthread:\t0",
    "VmPeak:\t    1044 kB",
    "VmRSS:\t     564 kB",
    "Threads:\t1",
    "SigQ:\t0/96364",
    "SigPnd:\t0000000000000000",
    "ShdPnd:\t0000000000000000",
    `SigBlk:\t${f.blk ?? "0000000000000000"}`,
    `SigIgn:\t${f.ign}`,
    `SigCgt:\t${f.cgt}`,
    "CapInh:\t0000000000000000",
    "CapPrm:\t00000000a80425fb",
    "NoNewPrivs:\t0",
    "Seccomp:\t2",
    "Cpus_allowed_list:\t0-1",
    "voluntary_ctxt_switches:\t12",
    "nonvoluntary_ctxt_switches:\t3",
    "",
  ].join("\n");
}

const NONE = "0000000000000000";

const cases: { name: string; text: string; signal: string | undefined; want: Unheard | undefined }[] = [
  {
    // busybox `sh -c 'while ...'` as PID 1: ignores SIGQUIT, catches SIGINT and SIGCHLD, not SIGTERM.
    name: "a shell as PID 1 of its namespace does not hear SIGTERM",
    text: status({ nsPid: "11644\t1", ign: "0000000000000004", cgt: "0000000000010002" }),
    signal: undefined,
    want: "init-default",
  },
  {
    name: "a shell that traps TERM hears it",
    text: status({ nsPid: "11644\t1", ign: "0000000000000004", cgt: "0000000000014002" }),
    signal: "SIGTERM",
    want: undefined,
  },
  {
    // nginx's master: catches HUP INT QUIT USR1 USR2 ALRM TERM CHLD WINCH IO; ignores PIPE and SYS.
    name: "nginx's master hears its image's SIGQUIT",
    text: status({ name: "nginx", nsPid: "15432\t1", ign: "0000000040001000", cgt: "0000000018016a07" }),
    signal: "SIGQUIT",
    want: undefined,
  },
  {
    name: "a shell as PID 1 does not hear QUIT, which it ignores",
    text: status({ nsPid: "11644\t1", ign: "0000000000000004", cgt: "0000000000010002" }),
    signal: "QUIT",
    want: "ignored",
  },
  {
    name: "an ignored signal given by number",
    text: status({ nsPid: "11644\t1", ign: "0000000000000004", cgt: NONE }),
    signal: "3",
    want: "ignored",
  },
  {
    name:
      "a process that is not init (shareProcessNamespace: pause is init) dies of SIGTERM's default action",
    text: status({ nsPid: "20001\t7", ign: NONE, cgt: NONE }),
    signal: undefined,
    want: undefined,
  },
  {
    name: "hostPID: one namespace, a pid that is not 1",
    text: status({ nsPid: "20001", ign: NONE, cgt: NONE }),
    signal: undefined,
    want: undefined,
  },
  {
    // The kubelet itself in a container: three namespaces, the last number is the container's own.
    name: "nested namespaces: init of the innermost",
    text: status({ nsPid: "30001\t412\t1", ign: NONE, cgt: NONE }),
    signal: "SIGTERM",
    want: "init-default",
  },
  {
    name: "nested namespaces: a 1 that is not the innermost pid does not make init",
    text: status({ nsPid: "30001\t1\t5", ign: NONE, cgt: NONE }),
    signal: "SIGTERM",
    want: undefined,
  },
  {
    // systemd as PID 1: STOPSIGNAL SIGRTMIN+3 (37), caught (bit 36).
    name: "a real-time stop signal above 32 that init catches",
    text: status({ name: "systemd", nsPid: "40000\t1", ign: "0000000000001000", cgt: "00000011fffe7eff" }),
    signal: "SIGRTMIN+3",
    want: undefined,
  },
  {
    name: "a real-time stop signal above 32 that init leaves at its default",
    text: status({ nsPid: "40000\t1", ign: NONE, cgt: "0000000000004000" }),
    signal: "RTMIN+3",
    want: "init-default",
  },
  {
    name: "SIGRTMAX (64, the top bit) ignored",
    text: status({ nsPid: "40000\t1", ign: "8000000000000000", cgt: NONE }),
    signal: "sigrtmax",
    want: "ignored",
  },
  {
    // The pause program blocks SIGTERM and waits for it with rt_sigtimedwait.
    name: "a blocked signal stays pending: pause hears SIGTERM",
    text: status({ name: "pause", nsPid: "50000\t1", blk: "0000000000014002", ign: NONE, cgt: NONE }),
    signal: "SIGTERM",
    want: undefined,
  },
  {
    name: "a blocked and ignored signal stays pending too",
    text: status({ nsPid: "50000\t1", blk: "0000000000004000", ign: "0000000000004000", cgt: NONE }),
    signal: "SIGTERM",
    want: undefined,
  },
  {
    name: "a traced process gets every signal",
    text: status({ nsPid: "50000\t1", ign: NONE, cgt: NONE, tracer: "777" }),
    signal: "SIGTERM",
    want: undefined,
  },
  {
    name: "SIGKILL as the stop signal always gets through",
    text: status({ nsPid: "50000\t1", ign: NONE, cgt: NONE }),
    signal: "SIGKILL",
    want: undefined,
  },
  {
    name: "a stop signal the Engine does not know: keep the grace period",
    text: status({ nsPid: "50000\t1", ign: NONE, cgt: NONE }),
    signal: "SIGBOGUS",
    want: undefined,
  },
  {
    name: "an escaped newline in the process name starts no field",
    text: status({ name: "x\\nSigCgt:\tffffffffffffffff", nsPid: "50000\t1", ign: NONE, cgt: NONE }),
    signal: "SIGTERM",
    want: "init-default",
  },
];

for (const c of cases) {
  test(`stopSignalUnheard: ${c.name}`, () => {
    const parsed = parseProcStatus(c.text);
    assert.ok(parsed, "status parses");
    const signal = parseSignal(c.signal);
    assert.equal(signal === undefined ? undefined : stopSignalUnheard(parsed, signal), c.want);
  });
}

test("parseProcStatus reads the masks, the namespace pids and the tracer", () => {
  const parsed = parseProcStatus(
    status({
      nsPid: "30001\t412\t1",
      blk: "0000000000000001",
      ign: "8000000000000004",
      cgt: "0000000000014002",
    }),
  );
  assert.deepEqual(parsed, {
    caught: 0x14002n,
    ignored: 0x8000000000000004n,
    blocked: 1n,
    nsPid: [30001, 412, 1],
    tracerPid: 0,
    switches: 15,
  });
});

test("parseProcStatus refuses texts that lack or garble a field", () => {
  const good = status({ nsPid: "11644\t1", ign: NONE, cgt: NONE });
  assert.equal(parseProcStatus(""), undefined);
  // Kernels before 4.1 have no NSpid: whether the process is an init cannot be told.
  assert.equal(parseProcStatus(good.replace(/^NSpid:.*\n/m, "")), undefined);
  assert.equal(parseProcStatus(good.replace(/^SigCgt:.*$/m, "SigCgt:\tzz")), undefined);
  assert.equal(parseProcStatus(good.replace(/^SigIgn:.*$/m, "SigIgn:\t00000000000000000")), undefined);
  assert.equal(parseProcStatus(good.replace(/^SigBlk:.*\n/m, "")), undefined);
  assert.equal(parseProcStatus(good.replace(/^TracerPid:.*$/m, "TracerPid:\t-1")), undefined);
  assert.equal(parseProcStatus(good.replace(/^NSpid:.*$/m, "NSpid:\t")), undefined);
  assert.equal(parseProcStatus(good.replace(/^voluntary_ctxt_switches:.*\n/m, "")), undefined);
});

test("sameSignalState: a context switch or a changed mask between two reads is not one moment", () => {
  const text = status({ nsPid: "11644\t1", ign: NONE, cgt: NONE });
  const a = parseProcStatus(text)!;
  assert.ok(sameSignalState(a, parseProcStatus(text)!));
  const switched = text.replace("voluntary_ctxt_switches:\t12", "voluntary_ctxt_switches:\t13");
  assert.ok(!sameSignalState(a, parseProcStatus(switched)!));
  const caught = text.replace(/^SigCgt:.*$/m, "SigCgt:\t0000000000004000");
  assert.ok(!sameSignalState(a, parseProcStatus(caught)!));
});

test("inSignalWait reads /proc/<pid>/syscall: rt_sigtimedwait hides the real mask", () => {
  const table: [string, string, boolean | undefined][] = [
    // The pause program (and tini, dumb-init) in rt_sigtimedwait on x86_64: SigBlk then reads 0.
    ["128 0x7ffc7d42ab18 0x0 0x0 0x8 0x0 0x0 0x7ffc7d42ab18 0x4000a5\n", "amd64", true],
    ["137 0xffffd1c0 0x0 0x0 0x8 0x0 0x0 0xffffd1a0 0x4000b4\n", "arm64", true],
    // A shell in wait4, sleep in clock_nanosleep, a busy process.
    ["61 0xffffffff 0x7ffd52f1c2dc 0x0 0x0 0x0 0x0 0x7ffd52f1c2a8 0x7f3c6b1f6a3a\n", "amd64", false],
    ["230 0x0 0x0 0x7ffe0c5ea3e0 0x7ffe0c5ea3e0 0x0 0x0 0x7ffe0c5ea3c8 0x4a3b5e\n", "amd64", false],
    ["running\n", "amd64", false],
    ["128 0x0 0x0 0x0 0x0 0x0 0x0 0x7ffe 0x4000\n", "arm64", false],
    // Blocked outside a syscall.
    ["-1 0x7ffc7d42ab18 0x4000a5\n", "amd64", false],
    ["128 0x0", "mips64le", undefined],
    ["", "amd64", undefined],
    ["garbage", "amd64", undefined],
  ];
  for (const [text, arch, want] of table) assert.equal(inSignalWait(text, arch), want, `${arch}: ${text}`);
});

test("parseSignal names signals as the Engine does", () => {
  const table: [string | undefined, number | undefined][] = [
    [undefined, 15],
    ["", 15],
    ["SIGTERM", 15],
    ["TERM", 15],
    ["sigquit", 3],
    ["QUIT", 3],
    ["3", 3],
    ["SIGWINCH", 28],
    ["SIGRTMIN", 34],
    ["SIGRTMIN+3", 37],
    ["RTMIN+15", 49],
    ["RTMIN+16", undefined],
    ["SIGRTMAX-14", 50],
    ["SIGRTMAX", 64],
    ["64", 64],
    ["65", undefined],
    ["0", undefined],
    ["-1", undefined],
    ["SIGFOO", undefined],
    ["constructor", undefined],
    ["__proto__", undefined],
  ];
  for (const [name, want] of table) {
    assert.equal(parseSignal(name), want, `parseSignal(${JSON.stringify(name)})`);
  }
});
