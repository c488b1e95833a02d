/**
 * The machine facts `/spec/` serves, in cAdvisor's MachineInfo shape, read
 * from /proc and /sys.
 *
 * @module
 */
import type { Platform } from "../platform/types.ts";

type Fs = Pick<Platform, "readTextFile" | "statfs">;

/** cAdvisor's MachineInfo, in the part the kubelet's `/spec/` shows. */
export interface MachineSpec {
  timestamp: string;
  num_cores: number;
  num_physical_cores: number;
  num_sockets: number;
  cpu_frequency_khz: number;
  memory_capacity: number;
  machine_id: string;
  system_uuid: string;
  boot_id: string;
  filesystems: { device: string; type: string; capacity: number; inodes: number; has_inodes: boolean }[];
  cloud_provider: string;
  instance_type: string;
  instance_id: string;
}

async function read(fs: Fs, path: string): Promise<string> {
  try {
    return (await fs.readTextFile(path)).trim();
  } catch {
    return "";
  }
}

/** Parses /proc/cpuinfo: logical cores, physical cores, sockets and the highest MHz as kHz. */
export function parseCpuinfo(
  text: string,
): { cores: number; physical: number; sockets: number; khz: number } {
  let cores = 0, mhz = 0;
  const physical = new Set<string>(), sockets = new Set<string>();
  let socket = "0";
  for (const line of text.split("\n")) {
    const [key, value = ""] = line.split(":").map((s) => s.trim());
    if (key === "processor") cores++;
    else if (key === "physical id") sockets.add(socket = value);
    else if (key === "core id") physical.add(`${socket}/${value}`);
    else if (key === "cpu MHz") mhz = Math.max(mhz, Number(value) || 0);
  }
  return { cores, physical: physical.size || cores, sockets: sockets.size || 1, khz: Math.round(mhz * 1000) };
}

/** Reads the machine's facts; each one that cannot be read is left empty or 0. */
export async function readMachineSpec(fs: Fs, now = new Date()): Promise<MachineSpec> {
  const cpu = parseCpuinfo(await read(fs, "/proc/cpuinfo"));
  const maxKhz = Number(await read(fs, "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")) || cpu.khz;
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(await read(fs, "/proc/meminfo"))?.[1] ?? 0);
  const filesystems = [];
  for (const line of (await read(fs, "/proc/self/mounts")).split("\n")) {
    const [device, mount, type] = line.split(" ");
    if (mount !== "/") continue;
    try {
      const s = await fs.statfs(mount);
      filesystems.push({ device, type, capacity: s.blocks * s.blockSize, inodes: s.files, has_inodes: true });
    } catch { /* not readable */ }
    break;
  }
  return {
    timestamp: now.toISOString(),
    num_cores: cpu.cores,
    num_physical_cores: cpu.physical,
    num_sockets: cpu.sockets,
    cpu_frequency_khz: maxKhz,
    memory_capacity: memKb * 1024,
    machine_id: await read(fs, "/etc/machine-id") || await read(fs, "/var/lib/dbus/machine-id"),
    system_uuid: (await read(fs, "/sys/class/dmi/id/product_uuid")).toUpperCase(),
    boot_id: await read(fs, "/proc/sys/kernel/random/boot_id"),
    filesystems,
    cloud_provider: "Unknown",
    instance_type: "Unknown",
    instance_id: "None",
  };
}
