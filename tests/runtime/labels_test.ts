import { test } from "node:test";
import assert from "node:assert/strict";
import type { Container } from "../../src/api/types.ts";
import { containerHash } from "../../src/runtime/container_hash.ts";
import {
  dockerContainerName,
  LABEL_GRACE_PERIOD,
  LABEL_NODE,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  podLabels,
  SANDBOX_CONTAINER_NAME,
} from "../../src/runtime/labels.ts";

const ref = { name: "web-node1", namespace: "default", uid: "0123abcd" };

test("dockerContainerName is k8s_<container>_<pod>_<namespace>_<uid>_<attempt>", () => {
  assert.equal(dockerContainerName("nginx", ref, 0), "k8s_nginx_web-node1_default_0123abcd_0");
  assert.equal(dockerContainerName("nginx", ref, 3), "k8s_nginx_web-node1_default_0123abcd_3");
});

test("dockerContainerName names the infra container POD", () => {
  assert.equal(SANDBOX_CONTAINER_NAME, "POD");
  assert.equal(dockerContainerName(SANDBOX_CONTAINER_NAME, ref, 1), "k8s_POD_web-node1_default_0123abcd_1");
});

test("podLabels carries the node, the pod's identity and its grace period as io.kubernetes labels", () => {
  assert.deepEqual(podLabels("node1", ref, 45), {
    [LABEL_NODE]: "node1",
    [LABEL_POD_NAME]: "web-node1",
    [LABEL_POD_NAMESPACE]: "default",
    [LABEL_POD_UID]: "0123abcd",
    [LABEL_GRACE_PERIOD]: "45",
  });
  assert.equal(LABEL_POD_NAME, "io.kubernetes.pod.name");
  assert.equal(LABEL_POD_NAMESPACE, "io.kubernetes.pod.namespace");
  assert.equal(LABEL_POD_UID, "io.kubernetes.pod.uid");
});

const base: Container = {
  name: "app",
  image: "nginx:1.27",
  args: ["-g", "daemon off;"],
  env: [{ name: "A", value: "1" }],
  ports: [{ containerPort: 80, protocol: "TCP" }],
};

test("containerHash is 8 hex digits", () => {
  assert.match(containerHash(base), /^[0-9a-f]{8}$/);
});

test("containerHash is the same whatever the order of keys, nested ones included", () => {
  const reordered: Container = {
    ports: [{ protocol: "TCP", containerPort: 80 }],
    env: [{ value: "1", name: "A" }],
    args: ["-g", "daemon off;"],
    image: "nginx:1.27",
    name: "app",
  };
  assert.equal(containerHash(reordered), containerHash(base));
});

test("containerHash ignores fields set to undefined", () => {
  assert.equal(containerHash({ ...base, command: undefined }), containerHash(base));
});

const changes: [what: string, changed: Container][] = [
  ["image", { ...base, image: "nginx:1.28" }],
  ["args", { ...base, args: ["-g", "daemon on;"] }],
  ["order of args", { ...base, args: ["daemon off;", "-g"] }],
  ["an env value", { ...base, env: [{ name: "A", value: "2" }] }],
  ["a new field", { ...base, workingDir: "/srv" }],
  ["a port", { ...base, ports: [{ containerPort: 8080, protocol: "TCP" }] }],
];

for (const [what, changed] of changes) {
  test(`containerHash changes when ${what} changes`, () => {
    assert.notEqual(containerHash(changed), containerHash(base));
  });
}
