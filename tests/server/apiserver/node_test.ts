import { test } from "node:test";
import assert from "node:assert/strict";
import { buildNode } from "../../../src/server/apiserver/node.ts";
import { facts } from "./_fixtures.ts";

const NOW = new Date("2026-01-01T01:00:00Z");
const conditions = (n: ReturnType<typeof buildNode>) =>
  Object.fromEntries(n.status.conditions.map((c) => [c.type, [c.status, c.reason]]));

test("buildNode reports capacity and allocatable less the kubelet's default eviction thresholds", () => {
  const n = buildNode(facts(), "uid", NOW);
  assert.deepEqual(n.status.capacity, {
    cpu: "4",
    "ephemeral-storage": `${100 * 1024 * 1024}Ki`,
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    memory: `${8 * 1024 * 1024}Ki`,
    pods: "110",
  });
  assert.equal(n.status.allocatable.memory, `${8 * 1024 * 1024 - 100 * 1024}Ki`);
  assert.equal(n.status.allocatable["ephemeral-storage"], String(Math.floor(100 * 1024 ** 3 * 0.9)));
});

test("a healthy node is Ready with no pressure, in the kubelet's order and words", () => {
  const n = buildNode(facts(), "uid", NOW);
  assert.deepEqual(n.status.conditions.map((c) => c.type), [
    "MemoryPressure",
    "DiskPressure",
    "PIDPressure",
    "Ready",
  ]);
  assert.deepEqual(conditions(n), {
    MemoryPressure: ["False", "KubeletHasSufficientMemory"],
    DiskPressure: ["False", "KubeletHasNoDiskPressure"],
    PIDPressure: ["False", "KubeletHasSufficientPID"],
    Ready: ["True", "KubeletReady"],
  });
});

test("low memory, disk and PIDs and a failed health check turn the conditions", () => {
  const n = buildNode(
    facts({
      memoryAvailable: 50 * 1024 * 1024,
      nodefs: { available: 5, capacity: 100 },
      pids: { used: 95, max: 100 },
      notReady: "syncloop: no sync for 5m",
    }),
    "uid",
    NOW,
  );
  assert.deepEqual(conditions(n), {
    MemoryPressure: ["True", "KubeletHasInsufficientMemory"],
    DiskPressure: ["True", "KubeletHasDiskPressure"],
    PIDPressure: ["True", "KubeletHasInsufficientPID"],
    Ready: ["False", "KubeletNotReady"],
  });
  assert.equal(n.status.conditions[3].message, "syncloop: no sync for 5m");
});

test("a fact that could not be read makes its condition Unknown", () => {
  const n = buildNode(facts({ memoryAvailable: undefined }), "uid", NOW);
  assert.equal(conditions(n).MemoryPressure[0], "Unknown");
});

test("lastTransitionTime stays while a condition's status stays, heartbeats move", () => {
  const first = buildNode(facts(), "uid", NOW);
  const later = new Date(NOW.getTime() + 60_000);
  const second = buildNode(facts(), "uid", later, first);
  assert.equal(second.status.conditions[3].lastTransitionTime, NOW.toISOString());
  assert.equal(second.status.conditions[3].lastHeartbeatTime, later.toISOString());
  const third = buildNode(facts({ notReady: "down" }), "uid", later, second);
  assert.equal(third.status.conditions[3].lastTransitionTime, later.toISOString());
});

test("nodeInfo, addresses and labels name the node, runtime and machine", () => {
  const n = buildNode(facts(), "uid", NOW);
  assert.equal(n.metadata.name, "n1");
  assert.equal(n.metadata.labels["kubernetes.io/hostname"], "n1");
  assert.equal(n.metadata.creationTimestamp, "2026-01-01T00:00:00Z");
  assert.deepEqual(n.status.addresses, [
    { type: "InternalIP", address: "192.0.2.2" },
    { type: "Hostname", address: "host" },
  ]);
  assert.equal(n.status.nodeInfo.containerRuntimeVersion, "docker://20.10.24");
  assert.equal(n.status.nodeInfo.machineID, "mid");
  assert.equal(n.status.nodeInfo.bootID, "bid");
  assert.equal(n.status.nodeInfo.architecture, "amd64");
});
