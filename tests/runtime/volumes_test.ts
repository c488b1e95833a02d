import { test } from "node:test";
import assert from "node:assert/strict";
import type { DockerClient } from "../../src/docker/client.ts";
import { removePodVolumes } from "../../src/runtime/volumes.ts";

test("removePodVolumes removes one pod's directory and never <root-dir>/pods itself for an empty or odd uid", async () => {
  const removed: string[] = [];
  const fs = {
    stat: () => Promise.resolve(null),
    mkdir: () => Promise.resolve(),
    chmod: () => Promise.resolve(),
    writeFile: () => Promise.resolve(),
    remove: (p: string) => (removed.push(p), Promise.resolve()),
  };
  const docker = { listVolumes: () => Promise.resolve([]) } as unknown as DockerClient;
  for (const uid of ["", ".", "..", "../x", "a/b"]) {
    await removePodVolumes(fs, docker, "/var/lib/kubelet", "n1", uid);
  }
  assert.deepEqual(removed, []);
  await removePodVolumes(fs, docker, "/var/lib/kubelet", "n1", "abc");
  assert.deepEqual(removed, ["/var/lib/kubelet/pods/abc"]);
});
