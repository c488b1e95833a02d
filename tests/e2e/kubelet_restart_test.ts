/**
 * Stopping the kubelet leaves its pods running, and starting it again adopts
 * them by their labels instead of creating new containers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import {
  busyboxPod,
  cleanup,
  docker,
  e2eNode,
  e2ePort,
  freshNode,
  getPod,
  nodeContainers,
  relists,
  startKubelet,
  waitFor,
} from "./_harness.ts";

test("a stopped kubelet exits 0 and leaves pods running; started again it adopts the same containers", async () => {
  const node = e2eNode("adopt");
  const port = e2ePort(18321);
  const { dir, manifests, rootDir } = await freshNode(node);
  const args = { node, port, manifests, rootDir };
  let kubelet = await startKubelet(args);
  try {
    await writeFile(`${manifests}/steady.yaml`, busyboxPod("steady", "sleep 1000"));
    await waitFor(
      "the pod running",
      async () => (await getPod(port, `steady-${node}`))?.status?.phase === "Running",
    );
    const ids = await docker(
      "ps",
      "-q",
      "--no-trunc",
      "--filter",
      `label=io.kubernetes.standalone.node=${node}`,
    );
    assert.equal(ids.split("\n").length, 2);

    assert.equal(await kubelet.stop("SIGTERM"), 0);
    assert.equal((await nodeContainers(node)).length, 2, "pods keep running while the kubelet is down");

    kubelet = await startKubelet(args);
    await waitFor("the pod Running again in /pods", async () => {
      const p = await getPod(port, `steady-${node}`);
      return p?.status?.phase === "Running";
    });
    // Give the new kubelet sync rounds to (wrongly) replace anything.
    await relists(port);
    const after = await docker(
      "ps",
      "-aq",
      "--no-trunc",
      "--filter",
      `label=io.kubernetes.standalone.node=${node}`,
    );
    assert.deepEqual(after.split("\n").sort(), ids.split("\n").sort());
    const pod = await getPod(port, `steady-${node}`);
    assert.equal(pod?.status?.containerStatuses?.[0].restartCount, 0);
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});
