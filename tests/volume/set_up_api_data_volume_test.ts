import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readlink, rm, stat, statfs } from "node:fs/promises";
import { tmpdir } from "node:os";
import process from "node:process";
import type { Pod } from "../../src/api/types.ts";
import { platform } from "../../src/platform/mod.ts";
import { TMPFS_MAGIC, unmountMemoryVolumes } from "../../src/volume/memory_mounts.ts";
import { setUpApiDataVolume } from "../../src/volume/set_up_api_data_volume.ts";
import { objectsOf } from "./_objects.ts";

const node = { cpu: 1, memory: 1024 };
const pod: Pod = {
  metadata: { name: "web", namespace: "default", uid: "u1" },
  spec: {
    containers: [{ name: "app", image: "nginx" }],
    volumes: [
      { name: "site", configMap: { name: "site" } },
      { name: "creds", secret: { secretName: "creds", defaultMode: 0o400 } },
      { name: "gone", configMap: { name: "gone" } },
    ],
  },
};

test("setUpApiDataVolume lays a configMap volume out as the kubelet does, and updates it in place", async () => {
  const root = await mkdtemp(`${tmpdir()}/api-volume-`);
  try {
    const ctx = {
      podDir: `${root}/pods/u1`,
      node,
      objects: objectsOf([{ name: "site", data: { "index.html": "v1" } }]),
    };
    const dir = await setUpApiDataVolume(platform, ctx, pod, pod.spec.volumes![0]);
    assert.equal(dir, `${root}/pods/u1/volumes/kubernetes.io~configmap/site`);
    assert.equal(await readlink(`${dir}/index.html`), "..data/index.html");
    assert.equal(await readFile(`${dir}/index.html`, "utf8"), "v1");
    assert.equal((await stat(`${dir}/index.html`)).mode & 0o777, 0o644);
    const v2 = { ...ctx, objects: objectsOf([{ name: "site", data: { "index.html": "v2" } }]) };
    await setUpApiDataVolume(platform, v2, pod, pod.spec.volumes![0]);
    assert.equal(await readFile(`${dir}/index.html`, "utf8"), "v2");
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("setUpApiDataVolume fails with the kubelet's FailedMount message for a missing ConfigMap, making nothing", async () => {
  const root = await mkdtemp(`${tmpdir()}/api-volume-`);
  try {
    const ctx = { podDir: `${root}/pods/u1`, node, objects: objectsOf([]) };
    await assert.rejects(setUpApiDataVolume(platform, ctx, pod, pod.spec.volumes![2]), {
      message: 'MountVolume.SetUp failed for volume "gone" : configmap "gone" not found',
    });
    assert.equal(await stat(`${root}/pods/u1/volumes/kubernetes.io~configmap/gone`).catch(() => null), null);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("setUpApiDataVolume keeps a secret volume on a tmpfs with its files' modes (as root; else it refuses)", async () => {
  const root = await mkdtemp(`${tmpdir()}/api-volume-`);
  const ctx = {
    podDir: `${root}/pods/u1`,
    node,
    objects: objectsOf([], [{ name: "creds", data: { token: new TextEncoder().encode("t0k3n") } }]),
  };
  try {
    if (process.getuid?.() !== 0) {
      await assert.rejects(
        setUpApiDataVolume(platform, ctx, pod, pod.spec.volumes![1]),
        /cannot mount a tmpfs/,
      );
      return;
    }
    const dir = await setUpApiDataVolume(platform, ctx, pod, pod.spec.volumes![1]);
    assert.equal(dir, `${root}/pods/u1/volumes/kubernetes.io~secret/creds`);
    assert.equal((await statfs(dir)).type, TMPFS_MAGIC);
    assert.equal(await readFile(`${dir}/token`, "utf8"), "t0k3n");
    assert.equal((await stat(`${dir}/token`)).mode & 0o777, 0o400);
  } finally {
    await unmountMemoryVolumes(platform, `${root}/pods/u1`).catch(() => {});
    await rm(root, { recursive: true, force: true });
  }
});
