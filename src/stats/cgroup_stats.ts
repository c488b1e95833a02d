/**
 * A container's resource use read straight from its cgroup, as cAdvisor
 * reads it: the Engine's stats endpoint answers only on its collector's
 * one-second tick, while these files answer at once. Both cgroup v1 and v2,
 * with the cgroupfs and the systemd drivers. The result has the shape of the
 * Engine's stats, so either source feeds the same summary code.
 *
 * @module
 */
import type { EngineKind } from "../docker/engine_kind.ts";
import type { EngineStats } from "../docker/types.ts";
import type { Platform } from "../platform/types.ts";

type Fs = Pick<Platform, "readTextFile">;

const ROOT = "/sys/fs/cgroup";

/** "key value" lines (memory.stat, cpu.stat) as numbers by key. */
export function parseKeyValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^(\w+)\s+(\d+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

/**
 * The cgroup directories a container of `id` may have, per layout: [v2 dir] or [v1 controller dirs].
 * Docker names them `docker/<id>` (cgroupfs) or `docker-<id>.scope` (systemd); Podman
 * `libpod_parent/libpod-<id>` (cgroupfs) or `machine.slice/libpod-<id>.scope` (systemd).
 */
export function cgroupCandidates(
  id: string,
  engine: EngineKind = "docker",
): { version: 1 | 2; dir: (controller: string) => string }[] {
  if (engine === "podman") {
    return [
      { version: 1, dir: (c) => `${ROOT}/${c}/libpod_parent/libpod-${id}` },
      { version: 1, dir: (c) => `${ROOT}/${c}/machine.slice/libpod-${id}.scope` },
      { version: 2, dir: () => `${ROOT}/machine.slice/libpod-${id}.scope` },
      { version: 2, dir: () => `${ROOT}/libpod_parent/libpod-${id}` },
    ];
  }
  return [
    { version: 1, dir: (c) => `${ROOT}/${c}/docker/${id}` },
    { version: 1, dir: (c) => `${ROOT}/${c}/system.slice/docker-${id}.scope` },
    { version: 2, dir: () => `${ROOT}/system.slice/docker-${id}.scope` },
    { version: 2, dir: () => `${ROOT}/docker/${id}` },
  ];
}

async function read(fs: Fs, path: string): Promise<string | undefined> {
  try {
    return await fs.readTextFile(path);
  } catch {
    return undefined;
  }
}

/**
 * Reads the cgroup of container `id` (full ID) as `engine` lays cgroups out;
 * undefined when no cgroup of it can be read here (another host's Engine, a
 * rootless one, ...).
 * `networks` comes from the first process' /proc/<pid>/net/dev when `withNetwork`.
 */
export async function readCgroupStats(
  fs: Fs,
  id: string,
  withNetwork: boolean,
  now = new Date(),
  engine: EngineKind = "docker",
): Promise<EngineStats | undefined> {
  for (const layout of cgroupCandidates(id, engine)) {
    let stats: EngineStats | undefined;
    let procs: string | undefined;
    if (layout.version === 1) {
      const usage = await read(fs, `${layout.dir("cpuacct")}/cpuacct.usage`);
      if (usage === undefined) continue;
      const [memUsage, memStat, memLimit, pids] = await Promise.all([
        read(fs, `${layout.dir("memory")}/memory.usage_in_bytes`),
        read(fs, `${layout.dir("memory")}/memory.stat`),
        read(fs, `${layout.dir("memory")}/memory.limit_in_bytes`),
        read(fs, `${layout.dir("pids")}/pids.current`),
      ]);
      procs = withNetwork ? await read(fs, `${layout.dir("cpuacct")}/cgroup.procs`) : undefined;
      stats = {
        read: now.toISOString(),
        cpu_stats: { cpu_usage: { total_usage: Number(usage) } },
        memory_stats: {
          usage: Number(memUsage ?? 0),
          limit: Number(memLimit ?? 0),
          stats: parseKeyValues(memStat ?? ""),
        },
        pids_stats: { current: Number(pids ?? 0) },
      };
    } else {
      const dir = layout.dir("");
      const cpu = await read(fs, `${dir}/cpu.stat`);
      if (cpu === undefined) continue;
      const [memUsage, memStat, memMax, pids] = await Promise.all([
        read(fs, `${dir}/memory.current`),
        read(fs, `${dir}/memory.stat`),
        read(fs, `${dir}/memory.max`),
        read(fs, `${dir}/pids.current`),
      ]);
      procs = withNetwork ? await read(fs, `${dir}/cgroup.procs`) : undefined;
      const max = memMax?.trim();
      stats = {
        read: now.toISOString(),
        cpu_stats: { cpu_usage: { total_usage: (parseKeyValues(cpu).usage_usec ?? 0) * 1000 } },
        memory_stats: {
          usage: Number(memUsage ?? 0),
          limit: max && max !== "max" ? Number(max) : 0,
          stats: parseKeyValues(memStat ?? ""),
        },
        pids_stats: { current: Number(pids ?? 0) },
      };
    }
    const pid = procs?.trim().split("\n")[0];
    if (pid) {
      const dev = await read(fs, `/proc/${pid}/net/dev`);
      if (dev) stats.networks = parseNetDevNetworks(dev);
    }
    return stats;
  }
  return undefined;
}

/** /proc/<pid>/net/dev as the Engine's `networks` (loopback left out). */
export function parseNetDevNetworks(text: string): NonNullable<EngineStats["networks"]> {
  const out: NonNullable<EngineStats["networks"]> = {};
  for (const line of text.split("\n").slice(2)) {
    const m = /^\s*([^:]+):\s*(.*)$/.exec(line);
    if (!m || m[1] === "lo") continue;
    const f = m[2].trim().split(/\s+/).map(Number);
    out[m[1]] = { rx_bytes: f[0], rx_errors: f[2], tx_bytes: f[8], tx_errors: f[10] };
  }
  return out;
}
