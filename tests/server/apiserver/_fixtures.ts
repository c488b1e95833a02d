import type { Pod } from "../../../src/api/types.ts";
import type { MachineSpec } from "../../../src/nodeinfo/machine_spec.ts";
import type { NodeFacts } from "../../../src/nodeinfo/node_facts.ts";

/** A running pod with one container, labels `app=<app>`, restarted `restarts` times. */
export function runningPod(name: string, app = "web", restarts = 0, namespace = "default"): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, uid: `uid-${name}`, labels: { app } },
    spec: { nodeName: "n1", containers: [{ name: "app", image: "busybox" }] },
    status: {
      phase: "Running",
      podIP: "172.17.0.5",
      startTime: "2026-01-01T00:00:00Z",
      conditions: [{ type: "Ready", status: "True" }],
      containerStatuses: [{
        name: "app",
        image: "busybox",
        imageID: "",
        ready: true,
        restartCount: restarts,
        containerID: "docker://abc",
        state: { running: { startedAt: "2026-01-01T00:00:00Z" } },
      }],
    },
  } as unknown as Pod;
}

export const MACHINE: MachineSpec = {
  timestamp: "2026-01-01T00:00:00Z",
  num_cores: 4,
  num_physical_cores: 2,
  num_sockets: 1,
  cpu_frequency_khz: 0,
  memory_capacity: 8 * 1024 ** 3,
  machine_id: "mid",
  system_uuid: "SUUID",
  boot_id: "bid",
  filesystems: [{
    device: "/dev/sda1",
    type: "ext4",
    capacity: 100 * 1024 ** 3,
    inodes: 1,
    has_inodes: true,
  }],
  cloud_provider: "Unknown",
  instance_type: "Unknown",
  instance_id: "None",
};

export function facts(extra: Partial<NodeFacts> = {}): NodeFacts {
  return {
    name: "n1",
    machine: MACHINE,
    hostIP: "192.0.2.2",
    hostname: "host",
    kubeletVersion: "v1.31.0+standalone.0.1.0",
    containerRuntimeVersion: "docker://20.10.24",
    osImage: "Debian GNU/Linux 12 (bookworm)",
    kernelVersion: "6.1.0",
    architecture: "amd64",
    startedAt: new Date("2026-01-01T00:00:00Z"),
    memoryAvailable: 4 * 1024 ** 3,
    nodefs: { available: 50 * 1024 ** 3, capacity: 100 * 1024 ** 3 },
    pids: { used: 300, max: 4_194_304 },
    ...extra,
  };
}
