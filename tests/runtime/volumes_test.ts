import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import type { Pod } from "../../src/api/types.ts";
import type { DockerClient } from "../../src/docker/client.ts";
import { platform } from "../../src/platform/mod.ts";
import { podDir, removePodVolumes, setUpApiDataVolumes } from "../../src/runtime/volumes.ts";
import { objectsOf } from "../volume/_objects.ts";

test("podDir is always a direct child of <root-dir>/pods", () => {
  assert.equal(podDir("/var/lib/kubelet", "abc-123"), "/var/lib/kubelet/pods/abc-123");
  assert.equal(podDir("/var/lib/kubelet/", "abc-123"), "/var/lib/kubelet/pods/abc-123");
  for (const uid of ["", ".", "..", "a/b", "../x"]) {
    assert.throws(() => podDir("/var/lib/kubelet", uid), /is not a safe directory name/, uid);
  }
});

test("removePodVolumes touches nothing for an unsafe UID", async () => {
  const calls: string[] = [];
  const fs = {
    remove: (path: string) => (calls.push(`remove ${path}`), Promise.resolve()),
  } as never;
  const docker = {
    listVolumes: (labels: string[]) => (calls.push(`list ${labels}`), Promise.resolve(["v"])),
    removeVolume: (name: string) => (calls.push(`rm ${name}`), Promise.resolve()),
  } as never;
  for (const uid of ["", "..", "."]) await removePodVolumes(fs, docker, "/root", "node1", uid);
  assert.deepEqual(calls, []);
  await removePodVolumes(fs, docker, "/root", "node1", "u1");
  assert.deepEqual(calls, [
    "list io.kubernetes.standalone.node=node1,io.kubernetes.pod.uid=u1",
    "rm v",
    "remove /root/pods/u1",
  ]);
});

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

test("setUpApiDataVolumes sets up each API-data volume on its own: a missing ConfigMap holds back no other volume", async () => {
  const root = await mkdtemp(`${tmpdir()}/volumes-api-`);
  try {
    const pod: Pod = {
      metadata: { name: "p", namespace: "default", uid: "u1" },
      spec: {
        containers: [{ name: "c", image: "busybox" }],
        volumes: [
          { name: "gone", configMap: { name: "gone" } },
          { name: "here", configMap: { name: "here" } },
          { name: "scratch", emptyDir: {} },
        ],
      },
    };
    const sources = (value: string) => ({
      fs: platform,
      objects: objectsOf([{ name: "here", data: { k: value } }]),
      node: () => Promise.resolve({ cpu: 1, memory: 1 }),
    });
    const first = await setUpApiDataVolumes(sources("1"), root, pod);
    assert.deepEqual(first.errors.map((e) => e.message), [
      'MountVolume.SetUp failed for volume "gone" : configmap "gone" not found',
    ]);
    const here = `${root}/pods/u1/volumes/kubernetes.io~configmap/here`;
    assert.deepEqual(first.volumes, { here: { kind: "bind", path: here, readOnly: true, atomic: true } });
    await setUpApiDataVolumes(sources("2"), root, pod);
    assert.equal(await readFile(`${here}/k`, "utf8"), "2");
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
