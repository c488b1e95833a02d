import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCpuinfo, readMachineSpec } from "../../src/nodeinfo/machine_spec.ts";
import type { FsUsage } from "../../src/platform/types.ts";

/** /proc/cpuinfo of `sockets` x `cores` x `threads` x86 CPUs, each at `mhz` (one per socket). */
function x86Cpuinfo(sockets: number, cores: number, threads: number, mhz: number[]): string {
  const blocks: string[] = [];
  let processor = 0;
  for (let s = 0; s < sockets; s++) {
    for (let t = 0; t < threads; t++) {
      for (let c = 0; c < cores; c++) {
        blocks.push([
          `processor\t: ${processor++}`,
          "vendor_id\t: GenuineIntel",
          "model name\t: Intel(R) Xeon(R) CPU @ 2.20GHz",
          `cpu MHz\t\t: ${mhz[s].toFixed(3)}`,
          `physical id\t: ${s}`,
          `siblings\t: ${cores * threads}`,
          `core id\t\t: ${c}`,
          `cpu cores\t: ${cores}`,
          "flags\t\t: fpu vme de pse",
        ].join("\n"));
      }
    }
  }
  return blocks.join("\n\n") + "\n";
}

test("parseCpuinfo counts logical and physical cores and sockets on a two-socket machine", () => {
  assert.deepEqual(parseCpuinfo(x86Cpuinfo(2, 4, 2, [2200, 2400.5])), {
    cores: 16,
    physical: 8,
    sockets: 2,
    khz: 2_400_500,
  });
});

test("parseCpuinfo treats a machine without topology lines (ARM) as one socket of physical cores", () => {
  const arm = "processor\t: 0\nBogoMIPS\t: 50.00\n\nprocessor\t: 1\nBogoMIPS\t: 50.00\n";
  assert.deepEqual(parseCpuinfo(arm), { cores: 2, physical: 2, sockets: 1, khz: 0 });
});

test("parseCpuinfo of empty text is zero cores", () => {
  assert.deepEqual(parseCpuinfo(""), { cores: 0, physical: 0, sockets: 1, khz: 0 });
});

const ROOT_USAGE: FsUsage = {
  type: 0xef53,
  blockSize: 4096,
  blocks: 1000,
  blocksFree: 500,
  blocksAvailable: 400,
  files: 65536,
  filesFree: 60000,
};

test("readMachineSpec assembles cAdvisor's MachineInfo from /proc and /sys", async () => {
  const files: Record<string, string> = {
    "/proc/cpuinfo": x86Cpuinfo(1, 2, 1, [2000]),
    "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq": "3500000\n",
    "/proc/meminfo": "MemTotal:       16318412 kB\nMemFree:         1000000 kB\n",
    "/proc/self/mounts": "proc /proc proc rw 0 0\n/dev/sda1 / ext4 rw,relatime 0 0\n",
    "/etc/machine-id": "0123456789abcdef0123456789abcdef\n",
    "/sys/class/dmi/id/product_uuid": "4c4c4544-0042-3510-8052-b4c04f4e3432\n",
    "/proc/sys/kernel/random/boot_id": "f1e2d3c4-0000-4000-8000-000000000000\n",
  };
  const fs = {
    readTextFile: (path: string) =>
      path in files ? Promise.resolve(files[path]) : Promise.reject(new Error("ENOENT")),
    statfs: (path: string) =>
      path === "/" ? Promise.resolve(ROOT_USAGE) : Promise.reject(new Error("ENOENT")),
  };
  const spec = await readMachineSpec(fs, new Date("2024-05-06T07:00:00Z"));
  assert.deepEqual(spec, {
    timestamp: "2024-05-06T07:00:00.000Z",
    num_cores: 2,
    num_physical_cores: 2,
    num_sockets: 1,
    cpu_frequency_khz: 3_500_000,
    memory_capacity: 16318412 * 1024,
    machine_id: "0123456789abcdef0123456789abcdef",
    system_uuid: "4C4C4544-0042-3510-8052-B4C04F4E3432",
    boot_id: "f1e2d3c4-0000-4000-8000-000000000000",
    filesystems: [{
      device: "/dev/sda1",
      type: "ext4",
      capacity: 4096 * 1000,
      inodes: 65536,
      has_inodes: true,
    }],
    cloud_provider: "Unknown",
    instance_type: "Unknown",
    instance_id: "None",
  });
});

test("readMachineSpec leaves what cannot be read empty or 0", async () => {
  const fs = {
    readTextFile: () => Promise.reject(new Error("ENOENT")),
    statfs: () => Promise.reject(new Error("ENOENT")),
  };
  const spec = await readMachineSpec(fs);
  assert.equal(spec.num_cores, 0);
  assert.equal(spec.memory_capacity, 0);
  assert.equal(spec.machine_id, "");
  assert.deepEqual(spec.filesystems, []);
});
