/**
 * Whether a container's stop signal can have any effect on its PID 1, decided
 * from the text of `/proc/<pid>/status`. The kernel's rules (kernel/signal.c,
 * `sig_ignored` and `sig_task_ignored`): a signal that is not blocked is
 * dropped when it is sent if the process ignores it, or if the process is the
 * init of its PID namespace and leaves it at the default action (only SIGKILL
 * and SIGSTOP from an ancestor namespace get through). A blocked signal, or
 * one sent to a traced process, is never dropped.
 *
 * `SigBlk` does not show every blocked signal: while a thread waits in
 * rt_sigtimedwait (sigwaitinfo, sigtimedwait: tini, dumb-init and our own
 * pause do), the kernel takes the awaited signals out of its mask and keeps
 * the real one aside (`real_blocked`), where /proc does not show it. A
 * process in that call is therefore never judged deaf ({@link inSignalWait}).
 *
 * No I/O here: {@link unheardStopSignal} in `unheard_stop_signal.ts` reads the
 * files.
 *
 * @module
 */

/** The signal the Engine sends when a container names none. */
export const DEFAULT_STOP_SIGNAL = 15;

const SIGKILL = 9;
const SIGSTOP = 19;
/** Linux has 64 signals (glibc's SIGRTMIN is 34: 32 and 33 are the C library's own). */
const MAX_SIGNAL = 64;
const RTMIN = 34;

/** Linux signal numbers by name, as the Engine parses them (moby/sys/signal, linux). */
const SIGNALS: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  IOT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  STKFLT: 16,
  CHLD: 17,
  CLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  XCPU: 24,
  XFSZ: 25,
  VTALRM: 26,
  PROF: 27,
  WINCH: 28,
  IO: 29,
  POLL: 29,
  PWR: 30,
  SYS: 31,
  UNUSED: 31,
};

/**
 * The number of a stop signal as a container or image names it: `SIGQUIT`,
 * `quit`, `3`, `SIGRTMIN+3`, `RTMAX-1`. An empty or missing name is the
 * Engine's default, SIGTERM.
 *
 * @returns the signal number, or `undefined` when the name is not a Linux signal.
 */
export function parseSignal(name: string | undefined): number | undefined {
  const raw = (name ?? "").trim();
  if (raw === "") return DEFAULT_STOP_SIGNAL;
  if (/^\d{1,2}$/.test(raw)) {
    const n = Number(raw);
    return n >= 1 && n <= MAX_SIGNAL ? n : undefined;
  }
  const upper = raw.toUpperCase();
  const bare = upper.startsWith("SIG") ? upper.slice(3) : upper;
  if (Object.hasOwn(SIGNALS, bare)) return SIGNALS[bare];
  const rt = /^RT(MIN|MAX)(?:([+-])(\d{1,2}))?$/.exec(bare);
  if (!rt) return undefined;
  const offset = rt[3] === undefined ? 0 : Number(rt[3]);
  // The Engine knows RTMIN..RTMIN+15 and RTMAX-14..RTMAX.
  if (rt[1] === "MIN" && rt[2] !== "-" && offset <= 15) return RTMIN + offset;
  if (rt[1] === "MAX" && rt[2] !== "+" && offset <= 14) return MAX_SIGNAL - offset;
  return undefined;
}

/** What `/proc/<pid>/status` says about a process's signals. */
export interface ProcSignals {
  /** Signals with a handler (`SigCgt`), bit `n - 1` for signal `n`. */
  caught: bigint;
  /** Signals set to SIG_IGN (`SigIgn`). */
  ignored: bigint;
  /** Signals blocked by the thread the pid names (`SigBlk`). */
  blocked: bigint;
  /** The pid in each PID namespace, outermost first (`NSpid`). */
  nsPid: number[];
  /** The pid of a tracer, 0 when none (`TracerPid`). */
  tracerPid: number;
  /** Context switches so far (`voluntary_ctxt_switches` + `nonvoluntary_ctxt_switches`). */
  switches: number;
}

const MASK = /^[0-9a-f]{1,16}$/i;

/**
 * Reads the signal facts out of the text of `/proc/<pid>/status`.
 *
 * @returns `undefined` when a field is missing or not in the kernel's format.
 */
export function parseProcStatus(text: string): ProcSignals | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    // The kernel escapes a newline in the process name (`Name:`), so a
    // workload cannot start a line of its own.
    if (colon > 0) {
      const key = line.slice(0, colon);
      if (!fields.has(key)) fields.set(key, line.slice(colon + 1).trim());
    }
  }
  const mask = (key: string) => {
    const v = fields.get(key);
    return v !== undefined && MASK.test(v) ? BigInt(`0x${v}`) : undefined;
  };
  const caught = mask("SigCgt"), ignored = mask("SigIgn"), blocked = mask("SigBlk");
  const nsText = fields.get("NSpid"), tracer = fields.get("TracerPid");
  if (caught === undefined || ignored === undefined || blocked === undefined) return undefined;
  if (nsText === undefined || !/^\d{1,10}(\s+\d{1,10})*$/.test(nsText)) return undefined;
  if (tracer === undefined || !/^\d{1,10}$/.test(tracer)) return undefined;
  const voluntary = fields.get("voluntary_ctxt_switches"), forced = fields.get("nonvoluntary_ctxt_switches");
  if (!voluntary || !forced || !/^\d{1,15}$/.test(voluntary) || !/^\d{1,15}$/.test(forced)) return undefined;
  return {
    caught,
    ignored,
    blocked,
    nsPid: nsText.split(/\s+/).map(Number),
    tracerPid: Number(tracer),
    switches: Number(voluntary) + Number(forced),
  };
}

/** Whether two reads of a process's status show the same signal state and no context switch between them. */
export function sameSignalState(a: ProcSignals, b: ProcSignals): boolean {
  return a.caught === b.caught && a.ignored === b.ignored && a.blocked === b.blocked &&
    a.tracerPid === b.tracerPid && a.switches === b.switches && a.nsPid.join() === b.nsPid.join();
}

/** rt_sigtimedwait's syscall numbers by Docker architecture name (and rt_sigtimedwait_time64 on 32-bit). */
const SIGTIMEDWAIT: Record<string, number[]> = {
  amd64: [128],
  arm64: [137],
  riscv64: [137],
  "386": [177, 421],
  arm: [177, 421],
};

/**
 * Whether `/proc/<pid>/syscall` (`running`, or the syscall number and its
 * arguments) shows the process waiting in rt_sigtimedwait on `arch`.
 *
 * @returns `undefined` when the text or the architecture is not known.
 */
export function inSignalWait(syscall: string, arch: string): boolean | undefined {
  const first = syscall.trim().split(/\s+/)[0];
  if (first === "running") return false;
  if (!Object.hasOwn(SIGTIMEDWAIT, arch) || !/^-?\d{1,4}$/.test(first ?? "")) return undefined;
  return SIGTIMEDWAIT[arch].includes(Number(first));
}

/** Why a stop signal cannot reach a process. */
export type Unheard = "ignored" | "init-default";

/**
 * Decides whether sending `signal` to the process `status` describes can have
 * any effect.
 *
 * @returns why it cannot (`ignored`: the process ignores it; `init-default`:
 * the process is the init of its PID namespace and has no handler for it), or
 * `undefined` when it can or the facts do not say for sure.
 */
export function stopSignalUnheard(status: ProcSignals, signal: number): Unheard | undefined {
  if (!Number.isInteger(signal) || signal < 1 || signal > MAX_SIGNAL) return undefined;
  // SIGKILL and SIGSTOP cannot be caught or ignored, and get through to an init.
  if (signal === SIGKILL || signal === SIGSTOP) return undefined;
  const bit = 1n << BigInt(signal - 1);
  // A blocked signal stays pending (a handler may come), a tracer sees every signal.
  if (status.blocked & bit || status.tracerPid !== 0) return undefined;
  if (status.ignored & bit) return "ignored";
  if (status.caught & bit) return undefined;
  return status.nsPid.at(-1) === 1 ? "init-default" : undefined;
}
