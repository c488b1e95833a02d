import { test } from "node:test";
import assert from "node:assert/strict";
import type { ContainerInspect, ContainerSummary } from "../../src/docker/types.ts";
import { foreignReason, Relister, toState } from "../../src/runtime/relist.ts";
import {
  LABEL_CONTAINER_NAME,
  LABEL_NODE,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_TYPE,
} from "../../src/runtime/labels.ts";
import { FakeEngine } from "../kubelet/_fake_engine.ts";

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

/** Labels of container `name` of pod `pod` on `node`. */
function podLabels(node: string, pod: string, name: string, uid = `uid-${pod}`): Record<string, string> {
  return {
    [LABEL_NODE]: node,
    [LABEL_POD_NAME]: pod,
    [LABEL_POD_NAMESPACE]: "default",
    [LABEL_POD_UID]: uid,
    [LABEL_CONTAINER_NAME]: name,
    ...(name === "POD" ? { [LABEL_TYPE]: "podsandbox" } : { [LABEL_TYPE]: "container" }),
  };
}

const inspects = (engine: FakeEngine) =>
  engine.calls.filter((c) => /^GET \/containers\/[^/]+\/json$/.test(c)).length;

test("relist groups a node's containers by pod, infra containers apart, newest first", async () => {
  const engine = new FakeEngine();
  const created = (id: string, at: string) => (engine.containers.get(id)!.Created = at);
  created(engine.add("k8s_POD_a", podLabels("n1", "a", "POD"), "running"), "2024-01-01T00:00:00Z");
  created(engine.add("k8s_main_a_old", podLabels("n1", "a", "main"), "exited"), "2024-01-01T00:00:01Z");
  created(engine.add("k8s_main_a_new", podLabels("n1", "a", "main"), "running"), "2024-01-01T00:00:02Z");
  engine.add("k8s_POD_b", podLabels("n1", "b", "POD"), "running");
  engine.add("k8s_POD_other", podLabels("n2", "other", "POD"), "running");
  const pods = await new Relister(engine.client(), "n1").relist();
  assert.deepEqual([...pods.keys()].sort(), ["a_default", "b_default"]);
  const a = pods.get("a_default")!;
  assert.deepEqual(a.sandboxes.map((s) => s.state), ["running"]);
  assert.deepEqual(a.containers.map((c) => [c.name, c.state]), [["main", "running"], ["main", "exited"]]);
  assert.equal(a.containers[0].podUid, "uid-a");
});

test("relist inspects a container again only when its state changed, and drops one that is gone", async () => {
  const engine = new FakeEngine();
  const id = engine.add("k8s_main_a", podLabels("n1", "a", "main"), "running");
  const relister = new Relister(engine.client(), "n1");
  await relister.relist();
  await relister.relist();
  assert.equal(inspects(engine), 1);
  engine.containers.get(id)!.State = "exited";
  const pods = await relister.relist();
  assert.equal(inspects(engine), 2);
  assert.equal(pods.get("a_default")!.containers[0].state, "exited");
  engine.containers.delete(id);
  assert.equal((await relister.relist()).size, 0);
});

test("relist reads an exited container's termination message once per exit", async () => {
  const engine = new FakeEngine();
  engine.add("k8s_main_a", podLabels("n1", "a", "main"), "exited");
  let reads = 0;
  const relister = new Relister(engine.client(), "n1", () => Promise.resolve(`message ${++reads}`));
  for (let i = 0; i < 3; i++) {
    assert.equal((await relister.relist()).get("a_default")!.containers[0].terminationMessage, "message 1");
  }
  assert.equal(reads, 1);
});

test("relistPod lists one pod's containers, and undefined when it has none", async () => {
  const engine = new FakeEngine();
  engine.add("k8s_main_a", podLabels("n1", "a", "main"), "running");
  engine.add("k8s_main_b", podLabels("n1", "b", "main"), "running");
  const relister = new Relister(engine.client(), "n1");
  const a = await relister.relistPod("a", "default");
  assert.deepEqual(a?.containers.map((c) => c.podName), ["a"]);
  assert.equal(await relister.relistPod("missing", "default"), undefined);
  const list = engine.calls.filter((c) => c.startsWith("GET /containers/json"));
  assert.equal(list.length, 2);
});
