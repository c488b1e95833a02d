import { test } from "node:test";
import assert from "node:assert/strict";
import { podLogContainer } from "../../../src/server/apiserver/pod_log_container.ts";
import type { Pod } from "../../../src/api/types.ts";

const pod = (annotations?: Record<string, string>, names = ["a", "b"]): Pod => ({
  metadata: { name: "p", annotations },
  spec: {
    containers: names.map((name) => ({ name, image: "busybox" })),
    initContainers: [{ name: "i", image: "x" }],
  },
});

test("podLogContainer takes the container asked for", () => {
  assert.equal(podLogContainer(pod(), "b"), "b");
});

test("podLogContainer takes the default-container annotation when it names a container", () => {
  assert.equal(podLogContainer(pod({ "kubectl.kubernetes.io/default-container": "b" }), ""), "b");
});

test("podLogContainer takes the only container", () => {
  assert.equal(podLogContainer(pod(undefined, ["only"]), ""), "only");
});

test("podLogContainer answers BadRequest naming the choices when there are several", () => {
  const s = podLogContainer(pod({ "kubectl.kubernetes.io/default-container": "gone" }), "");
  assert.ok(typeof s !== "string");
  assert.equal(s.code, 400);
  assert.equal(
    s.message,
    "a container name must be specified for pod p, choose one of: [a b] or one of the init containers: [i]",
  );
});
