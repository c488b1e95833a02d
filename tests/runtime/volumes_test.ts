import { test } from "node:test";
import assert from "node:assert/strict";
import { podDir, removePodVolumes } from "../../src/runtime/volumes.ts";

test("podDir is always a direct child of <root-dir>/pods", () => {
  assert.equal(podDir("/var/lib/kubelet", "abc-123"), "/var/lib/kubelet/pods/abc-123");
  assert.equal(podDir("/var/lib/kubelet/", "abc-123"), "/var/lib/kubelet/pods/abc-123");
  for (const uid of ["", ".", "..", "a/b", "../x"]) {
    assert.throws(() => podDir("/var/lib/kubelet", uid), /is not a safe directory name/, uid);
  }
});

test("removePodVolumes refuses an unsafe UID before removing anything", async () => {
  const calls: string[] = [];
  const fs = {
    remove: (path: string) => (calls.push(`remove ${path}`), Promise.resolve()),
  } as never;
  const docker = {
    listVolumes: (labels: string[]) => (calls.push(`list ${labels}`), Promise.resolve(["v"])),
    removeVolume: (name: string) => (calls.push(`rm ${name}`), Promise.resolve()),
  } as never;
  for (const uid of ["", "..", "."]) {
    await assert.rejects(removePodVolumes(fs, docker, "/root", "node1", uid), /not a safe directory name/);
  }
  assert.deepEqual(calls, []);
  await removePodVolumes(fs, docker, "/root", "node1", "u1");
  assert.deepEqual(calls, [
    "list io.kubernetes.standalone.node=node1,io.kubernetes.pod.uid=u1",
    "rm v",
    "remove /root/pods/u1",
  ]);
});
