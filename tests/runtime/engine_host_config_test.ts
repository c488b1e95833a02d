import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../src/api/types.ts";
import { engineHostConfig } from "../../src/runtime/engine_host_config.ts";

const pod = (hostNetwork = false): Pod => ({
  metadata: { name: "web", namespace: "default" },
  spec: { hostNetwork, containers: [{ name: "app", image: "busybox" }] },
});

test("engineHostConfig adds nothing on Docker", () => {
  assert.deepEqual(engineHostConfig("docker", pod(), "infra", "65534:65534", ["4242"]), {});
});

test("engineHostConfig joins a Podman container to the infra container's UTS namespace", () => {
  assert.deepEqual(engineHostConfig("podman", pod(), "infra", undefined, undefined), {
    UTSMode: "container:infra",
  });
});

test("engineHostConfig leaves a hostNetwork pod's containers in the host's UTS namespace on Podman", () => {
  assert.deepEqual(engineHostConfig("podman", pod(true), "infra", undefined, undefined), {});
});

for (
  const [user, groupAdd, expected] of [
    ["65534:65534", ["4242"], ["4242", "65534"]],
    ["1000:2000", undefined, ["2000"]],
    ["0:4242", ["4242"], undefined],
    ["65534", ["4242"], undefined],
    [undefined, undefined, undefined],
  ] as const
) {
  test(`engineHostConfig on Podman: User ${user} with GroupAdd ${groupAdd} makes GroupAdd ${expected}`, () => {
    const out = engineHostConfig("podman", pod(true), "infra", user, groupAdd ? [...groupAdd] : undefined);
    assert.deepEqual(out.GroupAdd, expected);
  });
}
