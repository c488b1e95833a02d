/**
 * Reads the facts the API-shaped Node is built from: the machine spec, the
 * host IP, the Engine's version, /etc/os-release, the kernel release, free
 * memory, disk and PIDs. Each fact that cannot be read is left out.
 *
 * @module
 */
import type { Platform } from "../platform/types.ts";
import { readHostIP } from "./host_ip.ts";
import { type MachineSpec, readMachineSpec } from "./machine_spec.ts";

/** What the node builder reads; gathered by {@linkcode readNodeFacts}. */
export interface NodeFacts {
  name: string;
  machine: MachineSpec;
  hostIP: string;
  hostname: string;
  kubeletVersion: string;
  /** `docker://<version>`, or "" when the Engine has not answered. */
  containerRuntimeVersion: string;
  osImage: string;
  kernelVersion: string;
  architecture: string;
  /** When the kubelet started: the Node's creation time. */
  startedAt: Date;
  /** Why the kubelet is not ready (a failed health check), or undefined. */
  notReady?: string;
  /** Bytes of memory available (MemAvailable). */
  memoryAvailable?: number;
  /** Bytes free and total on the kubelet's root-dir filesystem. */
  nodefs?: { available: number; capacity: number };
  /** Process IDs in use and the most there can be. */
  pids?: { used: number; max: number };
}

type Fs = Pick<Platform, "readTextFile" | "statfs">;

/** PRETTY_NAME of /etc/os-release text, else "Linux". */
export function osImage(osRelease: string): string {
  const m = /^PRETTY_NAME=(.*)$/m.exec(osRelease);
  return m ? m[1].trim().replace(/^(["'])(.*)\1$/, "$2") : "Linux";
}

async function read(fs: Fs, path: string): Promise<string | undefined> {
  try {
    return await fs.readTextFile(path);
  } catch {
    return undefined;
  }
}

/** What the node's facts are read with. */
export interface NodeFactsDeps {
  fs: Fs;
  name: string;
  hostname: string;
  rootDir: string;
  architecture: string;
  kubeletVersion: string;
  startedAt: Date;
  /** The Engine's version; rejects when the Engine does not answer. */
  runtimeVersion(): Promise<string>;
}

/** Reads the node's facts now (all but `notReady`, which the status server's health checks give). */
export async function readNodeFacts(deps: NodeFactsDeps): Promise<NodeFacts> {
  const { fs } = deps;
  const [machine, hostIP, osRelease, kernel, meminfo, pidMax, loadavg, runtime] = await Promise.all([
    readMachineSpec(fs),
    readHostIP(fs),
    read(fs, "/etc/os-release"),
    read(fs, "/proc/sys/kernel/osrelease"),
    read(fs, "/proc/meminfo"),
    read(fs, "/proc/sys/kernel/pid_max"),
    read(fs, "/proc/loadavg"),
    deps.runtimeVersion().then((v) => `docker://${v}`, () => ""),
  ]);
  const available = /MemAvailable:\s+(\d+)/.exec(meminfo ?? "")?.[1];
  let nodefs: NodeFacts["nodefs"];
  try {
    const s = await fs.statfs(deps.rootDir);
    nodefs = { available: s.blocksAvailable * s.blockSize, capacity: s.blocks * s.blockSize };
  } catch {
    try {
      const s = await fs.statfs("/");
      nodefs = { available: s.blocksAvailable * s.blockSize, capacity: s.blocks * s.blockSize };
    } catch { /* unknown */ }
  }
  // /proc/loadavg's fourth field is running/total scheduling entities (threads, each a PID).
  const threads = /\s\d+\/(\d+)\s/.exec(loadavg ?? "")?.[1];
  return {
    name: deps.name,
    machine,
    hostIP,
    hostname: deps.hostname,
    kubeletVersion: deps.kubeletVersion,
    containerRuntimeVersion: runtime,
    osImage: osImage(osRelease ?? ""),
    kernelVersion: (kernel ?? "").trim(),
    architecture: deps.architecture,
    startedAt: deps.startedAt,
    memoryAvailable: available ? Number(available) * 1024 : undefined,
    nodefs,
    pids: pidMax && threads ? { used: Number(threads), max: Number(pidMax.trim()) } : undefined,
  };
}
