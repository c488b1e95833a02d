/**
 * The kubelet's Summary API (`/stats/summary`, k8s.io/kubelet
 * pkg/apis/stats/v1alpha1): its types, and the pure functions that turn
 * /proc text and the Engine's container stats into them.
 *
 * @module
 */
import type { EngineStats } from "../docker/types.ts";

export interface CPUStats {
  time: string;
  /** Average use over the sample window, in core-nanoseconds per second. */
  usageNanoCores?: number;
  /** Cumulative use since the container (or node) started. */
  usageCoreNanoSeconds?: number;
}

export interface MemoryStats {
  time: string;
  /** Limit minus working set; omitted when there is no limit. */
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
}

export interface InterfaceStats {
  name: string;
  rxBytes?: number;
  rxErrors?: number;
  txBytes?: number;
  txErrors?: number;
}

export interface NetworkStats extends Partial<InterfaceStats> {
  time: string;
  interfaces?: InterfaceStats[];
}

export interface FsStats {
  time: string;
  availableBytes?: number;
  capacityBytes?: number;
  usedBytes?: number;
  inodesFree?: number;
  inodes?: number;
  inodesUsed?: number;
}

export interface ContainerStats {
  name: string;
  startTime: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
  rootfs?: FsStats;
  logs?: FsStats;
}

export interface VolumeStats extends FsStats {
  name: string;
}

export interface PodStats {
  podRef: { name: string; namespace: string; uid: string };
  startTime: string;
  containers: ContainerStats[];
  cpu?: CPUStats;
  memory?: MemoryStats;
  network?: NetworkStats;
  volume?: VolumeStats[];
  "ephemeral-storage"?: FsStats;
  process_stats?: { process_count?: number };
}

export interface NodeStats {
  nodeName: string;
  systemContainers?: ContainerStats[];
  startTime: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
  network?: NetworkStats;
  fs?: FsStats;
  runtime?: { imageFs?: FsStats };
  rlimit?: { time: string; maxpid?: number; curproc?: number };
}

export interface Summary {
  node: NodeStats;
  pods: PodStats[];
}

/** A cumulative CPU reading: nanoseconds of CPU used, at a time in ms. */
export interface CpuSample {
  at: number;
  usageNs: number;
}

/** Kernel clock ticks per second for /proc times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** A time as metav1.Time writes it (RFC 3339, whole seconds). */
export function apiTime(t: Date | number | string): string {
  return new Date(t).toISOString().replace(/\.\d+Z$/, "Z");
}

/** CPU stats from a cumulative reading and, for the rate, the one before it. */
export function cpuStats(now: CpuSample, before?: CpuSample): CPUStats {
  const stats: CPUStats = { time: apiTime(now.at), usageCoreNanoSeconds: Math.round(now.usageNs) };
  if (before && now.at > before.at && now.usageNs >= before.usageNs) {
    stats.usageNanoCores = Math.round((now.usageNs - before.usageNs) / ((now.at - before.at) / 1000));
  }
  return stats;
}

/**
 * Memory stats of a container from the Engine's `memory_stats` (cgroup v1 or
 * v2 field names), as cAdvisor computes them: working set is usage less
 * inactive file pages. `nodeMemory` tells a real limit from "no limit".
 */
export function containerMemoryStats(
  mem: EngineStats["memory_stats"],
  time: string,
  nodeMemory: number,
): MemoryStats {
  const s = mem?.stats ?? {};
  const usage = mem?.usage ?? 0;
  const inactiveFile = s.total_inactive_file ?? s.inactive_file ?? 0;
  const workingSet = Math.max(0, usage - inactiveFile);
  const limit = mem?.limit ?? 0;
  const stats: MemoryStats = {
    time,
    usageBytes: usage,
    workingSetBytes: workingSet,
    rssBytes: s.total_rss ?? s.anon ?? s.rss ?? 0,
    pageFaults: s.total_pgfault ?? s.pgfault ?? 0,
    majorPageFaults: s.total_pgmajfault ?? s.pgmajfault ?? 0,
  };
  if (limit > 0 && (nodeMemory === 0 || limit < nodeMemory)) {
    stats.availableBytes = Math.max(0, limit - workingSet);
  }
  return stats;
}

/** Interface stats from the Engine's `networks` of an infra container, sorted by name. */
export function engineNetworkStats(
  networks: EngineStats["networks"],
  time: string,
): NetworkStats | undefined {
  if (!networks || Object.keys(networks).length === 0) return undefined;
  const interfaces = Object.entries(networks).sort(([a], [b]) => a < b ? -1 : 1).map(([name, n]) => ({
    name,
    rxBytes: n.rx_bytes ?? 0,
    rxErrors: n.rx_errors ?? 0,
    txBytes: n.tx_bytes ?? 0,
    txErrors: n.tx_errors ?? 0,
  }));
  const main = interfaces.find((i) => i.name === "eth0") ?? interfaces[0];
  return { time, ...main, interfaces };
}

/** The first line of /proc/stat as busy CPU time (ns), and the boot time (s since the epoch). */
export function parseProcStat(text: string): { busyNs: number; bootTime: number } {
  const cpu = /^cpu\s+(.*)$/m.exec(text)?.[1].trim().split(/\s+/).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
  const busy = [0, 1, 2, 5, 6, 7].reduce((sum, i) => sum + (cpu[i] || 0), 0);
  return { busyNs: busy * (1e9 / USER_HZ), bootTime: Number(/^btime\s+(\d+)/m.exec(text)?.[1] ?? 0) };
}

/** /proc/meminfo in bytes, by key (`MemTotal`, `MemAvailable`, `Inactive(file)`, ...). */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^([\w()]+):\s+(\d+)(\s+kB)?/gm)) {
    out[m[1]] = Number(m[2]) * (m[3] ? 1024 : 1);
  }
  return out;
}

/** Node memory stats from /proc/meminfo and /proc/vmstat, as cAdvisor gives them for the root cgroup. */
export function nodeMemoryStats(
  meminfo: Record<string, number>,
  vmstat: Record<string, number>,
  time: string,
): MemoryStats {
  const total = meminfo.MemTotal ?? 0;
  const usage = total - (meminfo.MemFree ?? 0);
  const workingSet = Math.max(0, usage - (meminfo["Inactive(file)"] ?? 0));
  return {
    time,
    availableBytes: Math.max(0, total - workingSet),
    usageBytes: usage,
    workingSetBytes: workingSet,
    rssBytes: meminfo.AnonPages ?? 0,
    pageFaults: vmstat.pgfault ?? 0,
    majorPageFaults: vmstat.pgmajfault ?? 0,
  };
}

/** /proc/vmstat as numbers by key. */
export function parseVmstat(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^(\w+)\s+(\d+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

/** /proc/net/dev as interface stats, loopback left out. */
export function parseNetDev(text: string): InterfaceStats[] {
  const out: InterfaceStats[] = [];
  for (const line of text.split("\n").slice(2)) {
    const m = /^\s*([^:]+):\s*(.*)$/.exec(line);
    if (!m || m[1] === "lo") continue;
    const f = m[2].trim().split(/\s+/).map(Number);
    // Receive: bytes packets errs drop fifo frame compressed multicast; then transmit: bytes packets errs ...
    out.push({ name: m[1], rxBytes: f[0], rxErrors: f[2], txBytes: f[8], txErrors: f[10] });
  }
  return out;
}

/** Filesystem stats from statfs(2) numbers; `usedBytes` defaults to what the filesystem reports used. */
export function fsStats(
  s: {
    blockSize: number;
    blocks: number;
    blocksFree: number;
    blocksAvailable: number;
    files: number;
    filesFree: number;
  },
  time: string,
  usedBytes?: number,
  inodesUsed?: number,
): FsStats {
  return {
    time,
    availableBytes: s.blocksAvailable * s.blockSize,
    capacityBytes: s.blocks * s.blockSize,
    usedBytes: usedBytes ?? (s.blocks - s.blocksFree) * s.blockSize,
    inodesFree: s.filesFree,
    inodes: s.files,
    inodesUsed: inodesUsed ?? s.files - s.filesFree,
  };
}

/** Sums CPU stats (pod = its containers); the rate only when every part has one. */
export function sumCpu(parts: CPUStats[], time: string): CPUStats | undefined {
  if (parts.length === 0) return undefined;
  const out: CPUStats = {
    time,
    usageCoreNanoSeconds: parts.reduce((a, p) => a + (p.usageCoreNanoSeconds ?? 0), 0),
  };
  if (parts.every((p) => p.usageNanoCores !== undefined)) {
    out.usageNanoCores = parts.reduce((a, p) => a + p.usageNanoCores!, 0);
  }
  return out;
}

/** Sums memory stats; `availableBytes` is left out, as a pod's limit is not the sum's business. */
export function sumMemory(parts: MemoryStats[], time: string): MemoryStats | undefined {
  if (parts.length === 0) return undefined;
  const sum = (k: keyof MemoryStats) => parts.reduce((a, p) => a + ((p[k] as number | undefined) ?? 0), 0);
  return {
    time,
    usageBytes: sum("usageBytes"),
    workingSetBytes: sum("workingSetBytes"),
    rssBytes: sum("rssBytes"),
    pageFaults: sum("pageFaults"),
    majorPageFaults: sum("majorPageFaults"),
  };
}

/** /proc/self/stat: user plus system CPU of this process, in ns. */
export function parseSelfStat(text: string): number {
  // Fields after the command name (which may hold spaces) start at the state, field 3.
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) * (1e9 / USER_HZ);
}
