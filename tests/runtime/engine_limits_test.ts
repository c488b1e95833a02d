import { test } from "node:test";
import assert from "node:assert/strict";
import type { Container, Pod } from "../../src/api/types.ts";
import { engineRefusal } from "../../src/runtime/engine_limits.ts";

const pod = (container: Container): Pod => ({
  metadata: { name: "web", namespace: "default" },
  spec: {
    containers: [container],
    volumes: [{ name: "mem", emptyDir: { medium: "Memory" } }, { name: "disk", emptyDir: {} }],
  },
});
const app = (volumeMounts: Container["volumeMounts"]): Container => ({
  name: "app",
  image: "busybox",
  volumeMounts,
});

test("engineRefusal refuses a subPath into a Memory emptyDir on Podman, which would mount the whole volume", () => {
  const c = app([{ name: "mem", mountPath: "/data", subPath: "one" }]);
  assert.match(
    engineRefusal("podman", pod(c), c)!,
    /volumeMount mem at \/data: subPath .* not supported on Podman/,
  );
});

for (
  const [why, engine, mounts] of [
    ["the same mount on Docker", "docker", [{ name: "mem", mountPath: "/data", subPath: "one" }]],
    ["a whole Memory emptyDir on Podman", "podman", [{ name: "mem", mountPath: "/data" }]],
    ["a subPath of an emptyDir on disk (a bind mount) on Podman", "podman", [{
      name: "disk",
      mountPath: "/data",
      subPath: "one",
    }]],
  ] as const
) {
  test(`engineRefusal allows ${why}`, () => {
    const c = app([...mounts]);
    assert.equal(engineRefusal(engine, pod(c), c), undefined);
  });
}
