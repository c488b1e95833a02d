import { test } from "node:test";
import assert from "node:assert/strict";
import { containerType } from "../../src/runtime/container_type.ts";

test("containerType names infra, app and init containers by their labels, and not foreign ones", () => {
  assert.equal(containerType({ "io.kubernetes.docker.type": "podsandbox" }), "podsandbox");
  assert.equal(
    containerType({
      "io.kubernetes.docker.type": "container",
      "io.kubernetes.standalone.container.kind": "app",
    }),
    "container",
  );
  assert.equal(
    containerType({
      "io.kubernetes.docker.type": "container",
      "io.kubernetes.standalone.container.kind": "init",
    }),
    "init_container",
  );
  assert.equal(containerType({ "com.example": "x" }), undefined);
  assert.equal(containerType(undefined), undefined);
});
