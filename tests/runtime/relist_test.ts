import { test } from "node:test";
import assert from "node:assert/strict";
import type { ContainerInspect, ContainerSummary } from "../../src/docker/types.ts";
import { foreignReason, Relister, toState } from "../../src/runtime/relist.ts";

const POD = {
  "io.kubernetes.standalone.node": "node1",
  "io.kubernetes.pod.name": "web-node1",
  "io.kubernetes.pod.namespace": "default",
  "io.kubernetes.pod.uid": "u1",
  "io.kubernetes.container.name": "app",
};

test("foreignReason names the pod labels a container lacks, and an unsafe UID", () => {
  assert.equal(foreignReason(POD), undefined);
  assert.equal(
    foreignReason({ "io.kubernetes.standalone.node": "node1" }),
    "missing labels io.kubernetes.pod.name, io.kubernetes.pod.namespace, io.kubernetes.pod.uid, io.kubernetes.container.name",
  );
  assert.equal(foreignReason({ ...POD, "io.kubernetes.pod.uid": "" }), "missing label io.kubernetes.pod.uid");
  assert.equal(foreignReason({ ...POD, "io.kubernetes.pod.uid": ".." }), 'unsafe pod UID ".."');
});

test("Relister never adopts or inspects a container with only the node label, and warns once", async () => {
  const row = (Id: string, Labels: Record<string, string>): ContainerSummary => ({
    Id,
    Names: [`/${Id}`],
    Image: "busybox",
    ImageID: "sha",
    Created: 0,
    State: "running",
    Status: "Up",
    Labels,
  });
  const inspected: string[] = [];
  const docker = {
    listContainers: () =>
      Promise.resolve([row("stray", { "io.kubernetes.standalone.node": "node1" }), row("mine", POD)]),
    inspectContainer: (id: string) => {
      inspected.push(id);
      return Promise.resolve({
        Created: "2024-01-01T00:00:00Z",
        State: {
          Status: "running",
          StartedAt: "2024-01-01T00:00:00Z",
          FinishedAt: "",
          ExitCode: 0,
          OOMKilled: false,
        },
        Config: { Image: "busybox", Labels: {} },
        Image: "sha",
      } as unknown as ContainerInspect);
    },
  } as never;
  const warnings: string[] = [];
  const relister = new Relister(docker, "node1", undefined, { warn: (m: string) => warnings.push(m) });
  for (let i = 0; i < 3; i++) {
    const pods = await relister.relist();
    assert.deepEqual([...pods.keys()], ["web-node1_default"]);
  }
  assert.deepEqual(inspected, ["mine"]);
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0],
    /ignoring container \/stray: it has this node's label but is not a pod's \(missing labels/,
  );
});

for (
  const [status, expected] of [
    ["running", "running"],
    ["paused", "running"],
    ["restarting", "running"],
    ["exited", "exited"],
    ["dead", "exited"],
    ["created", "created"],
    // Podman's compatible inspect says "stopped" for a moment after each exit, before its cleanup.
    ["stopped", "exited"],
    ["stopping", "running"],
    ["configured", "created"],
    ["removing", "unknown"],
  ] as const
) {
  test(`toState reads an Engine's State.Status ${status} as ${expected}`, () => {
    assert.equal(toState(status), expected);
  });
}
