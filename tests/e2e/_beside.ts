/**
 * What every robustness test checks beside its bad input: a steady
 * crash-looping pod keeps restarting, `/healthz` keeps answering within 2 s,
 * and the kubelet's resident memory stays under 200 MiB.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { busyboxPod, getPod } from "./_harness.ts";

/** The steady pod's manifest: a container that exits 1 at once, restarted with backoff. */
export const CRASH_LOOP_POD = busyboxPod("steady-crash", "echo crashing; exit 1");

/** The kubelet's resident set size in MiB, from /proc. */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return kb / 1024;
}

/**
 * Polls `/healthz` every 500 ms, each with a 2 s deadline, and samples the
 * kubelet's RSS, until `stop` is called; `stop` resolves what was seen.
 */
export function watchBeside(port: number, pid: number) {
  const seen = { healthzChecks: 0, healthzFailures: [] as string[], maxRssMiB: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
        await res.body?.cancel();
        if (!res.ok) seen.healthzFailures.push(`status ${res.status}`);
      } catch (error) {
        seen.healthzFailures.push((error as Error).message);
      }
      seen.healthzChecks++;
      seen.maxRssMiB = Math.max(seen.maxRssMiB, await rssMiB(pid).catch(() => 0));
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

/** The steady pod's restart count (its full name is `steady-crash-<node>`). */
export async function steadyRestarts(port: number, node: string): Promise<number> {
  return (await getPod(port, `steady-crash-${node}`))?.status?.containerStatuses?.[0]?.restartCount ?? -1;
}
