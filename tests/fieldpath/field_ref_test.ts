import { test } from "node:test";
import assert from "node:assert/strict";
import type { Container, Pod } from "../../src/api/types.ts";
import {
  envSourceValue,
  fieldRefValue,
  type PodRuntimeFacts,
  resourceFieldRefValue,
} from "../../src/fieldpath/field_ref.ts";

const app: Container = {
  name: "app",
  image: "x",
  resources: { limits: { cpu: "1500m", memory: "128Mi" }, requests: { cpu: "250m", memory: "64Mi" } },
};
const side: Container = { name: "side", image: "x" };
const pod: Pod = {
  metadata: {
    name: "web-node1",
    namespace: "prod",
    uid: "abc",
    labels: { app: "web" },
    annotations: { "example.com/owner": "ops" },
  },
  spec: { nodeName: "node1", serviceAccountName: "builder", containers: [app, side] },
};
const facts: PodRuntimeFacts = {
  podIPs: ["172.17.0.5", "fd00::5"],
  hostIPs: ["10.1.2.3"],
  nodeCpu: 2,
  nodeMemory: 4294967296,
};

const fieldCases: [string, string][] = [
  ["metadata.name", "web-node1"],
  ["metadata.namespace", "prod"],
  ["metadata.uid", "abc"],
  ["metadata.labels['app']", "web"],
  ["metadata.labels['missing']", ""],
  ["metadata.annotations['example.com/owner']", "ops"],
  ["spec.nodeName", "node1"],
  ["spec.serviceAccountName", "builder"],
  ["status.podIP", "172.17.0.5"],
  ["status.podIPs", "172.17.0.5,fd00::5"],
  ["status.hostIP", "10.1.2.3"],
  ["status.hostIPs", "10.1.2.3"],
];
for (const [path, value] of fieldCases) {
  test(`fieldRefValue resolves ${path} to ${JSON.stringify(value)}`, () => {
    assert.equal(fieldRefValue(pod, path, facts), value);
  });
}

const resourceCases: [string, string | undefined, string | undefined, string][] = [
  ["limits.cpu", undefined, undefined, "2"],
  ["limits.cpu", "1m", undefined, "1500"],
  ["requests.cpu", undefined, undefined, "1"],
  ["requests.cpu", "1m", undefined, "250"],
  ["limits.memory", undefined, undefined, "134217728"],
  ["limits.memory", "1Mi", undefined, "128"],
  ["requests.memory", "1M", undefined, "68"],
  ["limits.cpu", undefined, "side", "2"],
  ["limits.memory", "1Gi", "side", "4"],
  ["requests.cpu", undefined, "side", "0"],
];
for (const [resource, divisor, containerName, value] of resourceCases) {
  test(`resourceFieldRefValue gives ${resource}${divisor ? `/${divisor}` : ""} of ${containerName ?? "this container"} as ${value}`, () => {
    assert.equal(resourceFieldRefValue(pod, app, { resource, divisor, containerName }, facts), value);
  });
}

test("resourceFieldRefValue throws naming a container that is not in the pod", () => {
  assert.throws(
    () => resourceFieldRefValue(pod, app, { resource: "limits.cpu", containerName: "nope" }, facts),
    /container nope not found/,
  );
});

test("envSourceValue resolves a fieldRef or a resourceFieldRef and nothing else", () => {
  assert.equal(
    envSourceValue(pod, app, { name: "N", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }, facts),
    "web-node1",
  );
  assert.equal(
    envSourceValue(pod, app, {
      name: "C",
      valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "1m" } },
    }, facts),
    "1500",
  );
  assert.equal(envSourceValue(pod, app, { name: "V", value: "x" }, facts), undefined);
});
