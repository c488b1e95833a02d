import { test } from "node:test";
import assert from "node:assert/strict";
import type { Container, Pod, ResourceRequirements } from "../../src/api/types.ts";
import { qosClass } from "../../src/status/qos_class.ts";

const c = (name: string, resources?: ResourceRequirements): Container => ({ name, image: "x", resources });

function pod(containers: Container[], initContainers?: Container[]): Pod {
  return { metadata: { name: "p", namespace: "default", uid: "u" }, spec: { containers, initContainers } };
}

const full = { cpu: "500m", memory: "128Mi" };

const cases: { name: string; pod: Pod; qos: "Guaranteed" | "Burstable" | "BestEffort" }[] = [
  { name: "BestEffort when no container sets resources", pod: pod([c("a"), c("b")]), qos: "BestEffort" },
  {
    name: "BestEffort when only resources other than cpu and memory are set",
    pod: pod([c("a", { limits: { "ephemeral-storage": "1Gi" } })]),
    qos: "BestEffort",
  },
  {
    name: "Burstable with requests only",
    pod: pod([c("a", { requests: { cpu: "100m" } })]),
    qos: "Burstable",
  },
  {
    name: "Guaranteed with cpu and memory limits (requests default to them)",
    pod: pod([c("a", { limits: full })]),
    qos: "Guaranteed",
  },
  {
    name: "Guaranteed when requests equal limits",
    pod: pod([c("a", { limits: full, requests: full }), c("b", { limits: full })]),
    qos: "Guaranteed",
  },
  {
    name: "Burstable when requests are below limits",
    pod: pod([c("a", { limits: full, requests: { cpu: "250m", memory: "128Mi" } })]),
    qos: "Burstable",
  },
  {
    name: "Burstable when only the memory limit is set",
    pod: pod([c("a", { limits: { memory: "1Gi" } })]),
    qos: "Burstable",
  },
  {
    name: "Burstable when one container has no limits",
    pod: pod([c("a", { limits: full }), c("b")]),
    qos: "Burstable",
  },
  {
    name: "Burstable when an init container has no limits",
    pod: pod([c("a", { limits: full })], [c("init")]),
    qos: "Burstable",
  },
  {
    name: "Burstable from an init container's requests alone",
    pod: pod([c("a")], [c("init", { requests: { memory: "64Mi" } })]),
    qos: "Burstable",
  },
];

for (const { name, pod, qos } of cases) {
  test(`qosClass is ${name}`, () => {
    assert.equal(qosClass(pod), qos);
  });
}

test("qosClass compares requests with limits by quantity, not by spelling", () => {
  const sameValue = { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1000m", memory: "1024Mi" } };
  assert.equal(qosClass(pod([c("a", sameValue)])), "Guaranteed");
});

test("qosClass ignores zero requests, as Kubernetes does", () => {
  assert.equal(qosClass(pod([c("a", { requests: { cpu: "0", memory: 0 } })])), "BestEffort");
});
