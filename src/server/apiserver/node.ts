/**
 * The node as a core/v1 Node, built from the node's facts as the kubelet's
 * node status setters build it (pkg/kubelet/nodestatus/setters.go):
 * capacity and allocatable, the pressure and Ready conditions with their
 * reasons, addresses and `nodeInfo`.
 *
 * @module
 */
import type { NodeFacts } from "../../nodeinfo/node_facts.ts";

/** A core/v1 NodeCondition. */
export interface NodeCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastHeartbeatTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** The part of core/v1 Node this server fills in. */
export interface Node {
  apiVersion: "v1";
  kind: "Node";
  metadata: {
    name: string;
    uid: string;
    creationTimestamp: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    resourceVersion?: string;
  };
  spec: Record<string, unknown>;
  status: {
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
    conditions: NodeCondition[];
    addresses: { type: string; address: string }[];
    daemonEndpoints: { kubeletEndpoint: { Port: number } };
    nodeInfo: {
      machineID: string;
      systemUUID: string;
      bootID: string;
      kernelVersion: string;
      osImage: string;
      containerRuntimeVersion: string;
      kubeletVersion: string;
      kubeProxyVersion: string;
      operatingSystem: string;
      architecture: string;
    };
  };
}

/** The kubelet's default hard eviction threshold for `memory.available` (100Mi). */
export const EVICTION_MEMORY_AVAILABLE = 100 * 1024 * 1024;
/** The kubelet's default hard eviction threshold for `nodefs.available` (10%). */
export const EVICTION_NODEFS_AVAILABLE = 0.1;
/** PIDPressure when fewer than this share of PIDs is left (the kubelet has no default; we pick 10%). */
export const PID_PRESSURE_AVAILABLE = 0.1;
/** The kubelet's default `--max-pods`. */
export const MAX_PODS = 110;

const ki = (bytes: number) => `${Math.floor(bytes / 1024)}Ki`;

/**
 * Builds the Node at `now`; `previous` (the last one built) keeps each
 * condition's `lastTransitionTime` while its status stays the same.
 */
export function buildNode(facts: NodeFacts, uid: string, now: Date, previous?: Node): Node {
  const at = now.toISOString();
  const condition = (
    type: string,
    bad: boolean,
    [okReason, okMessage]: [string, string],
    [badReason, badMessage]: [string, string],
    known = true,
  ): NodeCondition => {
    const status = !known ? "Unknown" : bad === (type === "Ready") ? "False" : "True";
    const before = previous?.status.conditions.find((c) => c.type === type);
    const [reason, message] = bad ? [badReason, badMessage] : [okReason, okMessage];
    return {
      type,
      status,
      lastHeartbeatTime: at,
      lastTransitionTime: before?.status === status ? before.lastTransitionTime : at,
      reason,
      message,
    };
  };
  const memoryBad = facts.memoryAvailable !== undefined && facts.memoryAvailable < EVICTION_MEMORY_AVAILABLE;
  const diskBad = facts.nodefs !== undefined && facts.nodefs.capacity > 0 &&
    facts.nodefs.available / facts.nodefs.capacity < EVICTION_NODEFS_AVAILABLE;
  const pidBad = facts.pids !== undefined && facts.pids.max > 0 &&
    (facts.pids.max - facts.pids.used) / facts.pids.max < PID_PRESSURE_AVAILABLE;
  const m = facts.machine;
  const storage = facts.nodefs?.capacity ?? m.filesystems[0]?.capacity ?? 0;
  const capacity = {
    cpu: String(m.num_cores),
    "ephemeral-storage": ki(storage),
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    memory: ki(m.memory_capacity),
    pods: String(MAX_PODS),
  };
  const allocatable = {
    ...capacity,
    "ephemeral-storage": String(Math.floor(storage * (1 - EVICTION_NODEFS_AVAILABLE))),
    memory: ki(Math.max(0, m.memory_capacity - EVICTION_MEMORY_AVAILABLE)),
  };
  const addresses = [{ type: "InternalIP", address: facts.hostIP }, {
    type: "Hostname",
    address: facts.hostname,
  }];
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: facts.name,
      uid,
      creationTimestamp: facts.startedAt.toISOString().replace(/\.\d+Z$/, "Z"),
      labels: {
        "beta.kubernetes.io/arch": facts.architecture,
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": facts.architecture,
        "kubernetes.io/hostname": facts.name,
        "kubernetes.io/os": "linux",
      },
      annotations: {},
    },
    spec: {},
    status: {
      capacity,
      allocatable,
      conditions: [
        condition(
          "MemoryPressure",
          memoryBad,
          ["KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
          ["KubeletHasInsufficientMemory", "kubelet has insufficient memory available"],
          facts.memoryAvailable !== undefined,
        ),
        condition(
          "DiskPressure",
          diskBad,
          ["KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
          ["KubeletHasDiskPressure", "kubelet has disk pressure"],
          facts.nodefs !== undefined,
        ),
        condition(
          "PIDPressure",
          pidBad,
          ["KubeletHasSufficientPID", "kubelet has sufficient PID available"],
          ["KubeletHasInsufficientPID", "kubelet has insufficient PID available"],
          facts.pids !== undefined,
        ),
        condition(
          "Ready",
          facts.notReady !== undefined,
          ["KubeletReady", "kubelet is posting ready status"],
          ["KubeletNotReady", facts.notReady ?? ""],
        ),
      ],
      addresses,
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {
        machineID: m.machine_id,
        systemUUID: m.system_uuid,
        bootID: m.boot_id,
        kernelVersion: facts.kernelVersion,
        osImage: facts.osImage,
        containerRuntimeVersion: facts.containerRuntimeVersion,
        kubeletVersion: facts.kubeletVersion,
        kubeProxyVersion: "",
        operatingSystem: "linux",
        architecture: facts.architecture,
      },
    },
  };
}
