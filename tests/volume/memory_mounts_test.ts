import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, stat, statfs } from "node:fs/promises";
import { tmpdir } from "node:os";
import process from "node:process";
import { platform } from "../../src/platform/mod.ts";
import {
  ensureMemoryMount,
  isMountPoint,
  memoryVolumeMountUid,
  parseMounts,
  TMPFS_MAGIC,
  unmountMemoryVolumes,
} from "../../src/volume/memory_mounts.ts";
import { VolumeSetupError } from "../../src/volume/payload.ts";

test("parseMounts reads mount points (octal escapes decoded) and file-system types from mountinfo", () => {
  const info =
    "36 35 98:0 / /var/lib/kubelet/pods/u1/volumes/kubernetes.io~secret/creds rw,relatime shared:1 - tmpfs tmpfs rw,size=33792k\n" +
    "37 35 98:0 / /mnt/a\\040b rw - ext4 /dev/sda1 rw\n";
  assert.deepEqual(parseMounts(info), [
    { mountPoint: "/var/lib/kubelet/pods/u1/volumes/kubernetes.io~secret/creds", fsType: "tmpfs" },
    { mountPoint: "/mnt/a b", fsType: "ext4" },
  ]);
});

test("memoryVolumeMountUid recognises only the tmpfs of a secret or projected volume directory", () => {
  const pods = "/var/lib/kubelet/pods";
  const m = (mountPoint: string, fsType = "tmpfs") => memoryVolumeMountUid(pods, { mountPoint, fsType });
  assert.equal(m(`${pods}/u1/volumes/kubernetes.io~secret/creds`), "u1");
  assert.equal(m(`${pods}/u1/volumes/kubernetes.io~projected/all`), "u1");
  assert.equal(m(`${pods}/u1/volumes/kubernetes.io~secret/creds`, "ext4"), undefined);
  assert.equal(m(`${pods}/u1/volumes/kubernetes.io~empty-dir/cache`), undefined);
  assert.equal(m(`${pods}/u1/volumes/kubernetes.io~secret/creds/deeper`), undefined);
  assert.equal(m(`${pods}/u1/volumes/kubernetes.io~secret`), undefined);
  assert.equal(m(`/elsewhere/u1/volumes/kubernetes.io~secret/creds`), undefined);
});

test("ensureMemoryMount refuses to go on when no tmpfs can be mounted, so nothing reaches the disk", async () => {
  const fs = {
    stat: () => Promise.resolve({ dev: 1 } as never),
    statfs: () => Promise.resolve({ type: 0xef53 } as never),
    mountTmpfs: () => Promise.reject(new Error("mount: only root can do that")),
  };
  await assert.rejects(
    ensureMemoryMount(fs, "/x/vol"),
    (e: Error) =>
      e instanceof VolumeSetupError &&
      /cannot mount a tmpfs on \/x\/vol .*only root can do that/.test(e.message),
  );
  // Mounted, but not a tmpfs (the check after the mount): refused too.
  const notTmpfs = { ...fs, mountTmpfs: () => Promise.resolve() };
  await assert.rejects(ensureMemoryMount(notTmpfs, "/x/vol"), /is not a tmpfs mount/);
});

const root = process.getuid?.() === 0;

test("ensureMemoryMount mounts a tmpfs once and unmountMemoryVolumes takes it away (as root; else the mount is refused)", async () => {
  const dir = await mkdtemp(`${tmpdir()}/memory-mounts-`);
  const vol = `${dir}/pod/volumes/kubernetes.io~secret/creds`;
  await mkdir(vol, { recursive: true });
  try {
    if (!root) {
      await assert.rejects(ensureMemoryMount(platform, vol), VolumeSetupError);
      return;
    }
    await ensureMemoryMount(platform, vol);
    assert.equal((await statfs(vol)).type, TMPFS_MAGIC);
    assert.equal(await isMountPoint(platform, vol), true);
    const dev = (await stat(vol)).dev;
    await ensureMemoryMount(platform, vol); // already there: not stacked
    assert.equal((await stat(vol)).dev, dev);
    assert.deepEqual(await unmountMemoryVolumes(platform, `${dir}/pod`), [vol]);
    assert.equal(await isMountPoint(platform, vol), false);
    assert.deepEqual(await readdir(vol), []);
  } finally {
    if (root) await unmountMemoryVolumes(platform, `${dir}/pod`).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
});
