/**
 * Finds out, on this host, whether a running container's stop signal can
 * reach its PID 1: the Engine's inspect names the process and the signal,
 * `/proc/<pid>/status` its signal masks and namespace pids.
 *
 * @module
 */
import type { DockerClient } from "../docker/client.ts";
import type { Platform } from "../platform/types.ts";
import {
  inSignalWait,
  parseProcStatus,
  parseSignal,
  type ProcSignals,
  sameSignalState,
  stopSignalUnheard,
  type Unheard,
} from "./stop_signal.ts";

/** What the check needs of the world. */
export interface UnheardDeps {
  docker: Pick<DockerClient, "inspectContainer">;
  fs: Pick<Platform, "readTextFile">;
  /** This host's architecture in Docker's naming (syscall numbers differ). */
  arch: string;
}

/** A stop signal that cannot have any effect, and why. */
export interface UnheardSignal {
  /** The signal as the container names it (`SIGTERM` when it names none). */
  signal: string;
  why: Unheard;
}

/**
 * Whether the stop signal of container `id` would be dropped by the kernel.
 * Never guesses: when the Engine is elsewhere (a `tcp://` endpoint), `/proc`
 * is another PID namespace's, the process is gone or anything cannot be read,
 * the answer is `undefined` (keep the grace period).
 *
 * @returns why the signal cannot be heard, or `undefined`.
 */
export async function unheardStopSignal(deps: UnheardDeps, id: string): Promise<UnheardSignal | undefined> {
  try {
    const inspect = await deps.docker.inspectContainer(id);
    const pid = inspect?.State.Pid;
    if (!inspect?.State.Running || !Number.isSafeInteger(pid) || pid! <= 0) return undefined;
    const named = inspect.Config.StopSignal?.trim() || "SIGTERM";
    const signal = parseSignal(named);
    if (signal === undefined) return undefined;
    // The process behind this pid must be this container's: not a process of
    // another host or PID namespace, and not a new process reusing the pid.
    // Its cgroup path names the container's full ID; it is read both sides of
    // the status so the status cannot belong to anyone else.
    const ours = async () => (await deps.fs.readTextFile(`/proc/${pid}/cgroup`)).includes(inspect.Id);
    if (inspect.Id.length < 64 || !(await ours())) return undefined;
    const status = await steadyStatus(deps, pid!);
    if (!status || !(await ours())) return undefined;
    const why = stopSignalUnheard(status, signal);
    return why ? { signal: named, why } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The signal state of process `pid` at one moment, when it is not waiting in
 * rt_sigtimedwait (which hides its real mask). The status is read both sides
 * of `/proc/<pid>/syscall`; both must show the same masks and no context
 * switch in between, else it tries again (3 times at most).
 */
async function steadyStatus(deps: UnheardDeps, pid: number): Promise<ProcSignals | undefined> {
  const read = async () => parseProcStatus(await deps.fs.readTextFile(`/proc/${pid}/status`));
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = await read();
    const waiting = inSignalWait(await deps.fs.readTextFile(`/proc/${pid}/syscall`), deps.arch);
    const after = await read();
    if (!before || !after || waiting === undefined) return undefined;
    if (!sameSignalState(before, after)) continue;
    return waiting ? undefined : after;
  }
  return undefined;
}
