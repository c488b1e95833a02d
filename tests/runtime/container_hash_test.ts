import { test } from "node:test";
import assert from "node:assert/strict";
import type { Container } from "../../src/api/types.ts";
import { containerHash } from "../../src/runtime/container_hash.ts";

// Hashes computed by the kubelet before canonical JSON was shared (commit e707dab). A change here
// changes the label of every running container, and each would be restarted after an upgrade.
test("containerHash of a plain container is the value running containers carry", () => {
  assert.equal(containerHash({ name: "nginx", image: "nginx:latest" }), "df093c78");
});

test("containerHash keeps its form for nested fields, key order and undefined array elements", () => {
  const container = {
    name: "app",
    image: "busybox",
    command: ["sh", "-c", "sleep 1"],
    args: [undefined, "x", null],
    env: [{ name: "B", value: "2" }, { value: "1", name: "A", valueFrom: undefined }],
    ports: [{ containerPort: 80, protocol: "TCP" }],
    resources: { limits: { memory: "64Mi", cpu: "100m" } },
  } as unknown as Container;
  assert.equal(containerHash(container), "8b0589b0");
});

test("containerHash does not depend on key order, and changes with the spec", () => {
  const a = containerHash({ name: "x", image: "busybox", command: ["a"] });
  assert.equal(containerHash({ command: ["a"], image: "busybox", name: "x" } as Container), a);
  assert.notEqual(containerHash({ name: "x", image: "busybox", command: ["b"] }), a);
});
