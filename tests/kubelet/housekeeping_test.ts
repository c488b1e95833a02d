import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import type { ContainerSummary } from "../../src/docker/types.ts";
import {
  cleanupOrphanedPodDirs,
  type HousekeepingDeps,
  orphanedPodUids,
  parseMountPoints,
  podDirHousekeeper,
} from "../../src/kubelet/housekeeping.ts";
import { createLogger } from "../../src/log.ts";
import { platform } from "../../src/platform/mod.ts";
import { LABEL_NODE, LABEL_POD_UID } from "../../src/runtime/labels.ts";

const uid = (c: string) => c.repeat(32);
const UUID = "0f8fad5b-d9cb-469f-a165-70867728950e";

function container(labels: Record<string, string>, sources: string[] = []): ContainerSummary {
  return {
    Id: "x",
    Names: [],
    Image: "",
    ImageID: "",
    Created: 0,
    State: "exited",
    Status: "",
    Labels: labels,
    Mounts: sources.map((Source) => ({ Source })),
  };
}

/** A root dir with `pods/<name>` directories, each holding an emptyDir file. */
async function rootWith(names: string[]): Promise<string> {
  const root = await mkdtemp(`${tmpdir()}/kubelet-hk-`);
  for (const n of names) {
    await mkdir(`${root}/pods/${n}/volumes/kubernetes.io~empty-dir/data`, { recursive: true });
    await writeFile(`${root}/pods/${n}/volumes/kubernetes.io~empty-dir/data/f`, "data");
  }
  return root;
}

function deps(
  containers: ContainerSummary[],
  volumes: string[] = [],
  mountInfo = "",
): HousekeepingDeps & { removedVolumes: string[]; lines: string[] } {
  const removedVolumes: string[] = [];
  const lines: string[] = [];
  return {
    fs: {
      readDir: platform.readDir,
      remove: platform.remove,
      readTextFile: (p) => p === "/test/mountinfo" ? Promise.resolve(mountInfo) : platform.readTextFile(p),
    },
    docker: {
      listContainers: () => Promise.resolve(containers),
      listVolumes: () => Promise.resolve(volumes),
      removeVolume: (name) => (removedVolumes.push(name), Promise.resolve()),
    },
    log: createLogger({ write: (l) => lines.push(l) }),
    removedVolumes,
    lines,
  };
}

const exists = (p: string) => stat(p).then(() => true, () => false);

test("cleanupOrphanedPodDirs removes the directories of pods neither a source nor the Engine knows", async () => {
  const root = await rootWith([uid("a"), uid("b"), uid("c"), UUID]);
  const d = deps([container({ [LABEL_NODE]: "n1", [LABEL_POD_UID]: uid("b") })]);
  const result = await cleanupOrphanedPodDirs(d, {
    rootDir: root,
    nodeName: "n1",
    desiredUids: () => [uid("a")],
    mountInfoPath: "/test/mountinfo",
  });
  assert.deepEqual(result.removedDirs, [UUID, uid("c")].sort());
  assert.deepEqual((await readdir(`${root}/pods`)).sort(), [uid("a"), uid("b")]);
  assert.match(d.lines.join("\n"), new RegExp(`removed the directory of orphaned pod ${uid("c")}`));
  await rm(root, { recursive: true });
});

test("cleanupOrphanedPodDirs keeps what a container of any node mounts from, and what holds a mount point", async () => {
  const root = await rootWith([uid("a"), uid("b"), uid("c")]);
  const d = deps(
    // Another node's container with the same uid label does not count; its bind mount does.
    [container({ [LABEL_NODE]: "other", [LABEL_POD_UID]: uid("c") }, [
      `${root}/pods/${uid("a")}/volumes/kubernetes.io~empty-dir/data`,
    ])],
    [],
    `36 35 98:0 / ${root}/pods/${uid("b")}/volumes/kubernetes.io~empty-dir/m\\040x rw - tmpfs tmpfs rw\n`,
  );
  const result = await cleanupOrphanedPodDirs(d, {
    rootDir: root,
    nodeName: "n1",
    desiredUids: () => [],
    mountInfoPath: "/test/mountinfo",
  });
  assert.deepEqual(result.removedDirs, [uid("c")]);
  assert.equal(await exists(`${root}/pods/${uid("a")}`), true);
  assert.equal(await exists(`${root}/pods/${uid("b")}`), true);
  await rm(root, { recursive: true });
});

test("cleanupOrphanedPodDirs leaves names that are not uids, files and links, and never follows a link", async () => {
  const root = await rootWith(["not-a-uid", "..x"]);
  const outside = await mkdtemp(`${tmpdir()}/kubelet-hk-outside-`);
  await writeFile(`${outside}/precious`, "keep me");
  await symlink(outside, `${root}/pods/${uid("d")}`);
  await writeFile(`${root}/pods/${uid("e")}`, "a file");
  // A pod directory holding a link to the outside: the directory goes, what the link points at stays.
  await mkdir(`${root}/pods/${uid("f")}`);
  await symlink(outside, `${root}/pods/${uid("f")}/escape`);
  const result = await cleanupOrphanedPodDirs(deps([]), {
    rootDir: root,
    nodeName: "n1",
    desiredUids: () => [],
    mountInfoPath: "/test/mountinfo",
  });
  assert.deepEqual(result.removedDirs, [uid("f")]);
  assert.deepEqual((await readdir(`${root}/pods`)).sort(), ["..x", uid("d"), uid("e"), "not-a-uid"].sort());
  assert.equal(await exists(`${outside}/precious`), true);
  await rm(root, { recursive: true });
  await rm(outside, { recursive: true });
});

test("cleanupOrphanedPodDirs removes memory volumes of orphaned pods only, and copes with no pods directory", async () => {
  const root = await mkdtemp(`${tmpdir()}/kubelet-hk-`);
  const d = deps(
    [container({ [LABEL_NODE]: "n1", [LABEL_POD_UID]: uid("b") })],
    [`k8s_${uid("a")}_cache`, `k8s_${uid("b")}_cache`, `k8s_${uid("c")}_cache`, "someone-elses"],
  );
  const result = await cleanupOrphanedPodDirs(d, {
    rootDir: root,
    nodeName: "n1",
    desiredUids: () => [uid("a")],
    mountInfoPath: "/test/mountinfo",
  });
  assert.deepEqual(result, { removedDirs: [], removedVolumes: [`k8s_${uid("c")}_cache`] });
  await rm(root, { recursive: true });
});

test("cleanupOrphanedPodDirs reads the wanted uids after listing, so a pod added meanwhile is kept", async () => {
  const root = await rootWith([uid("a")]);
  let added = false;
  const d = deps([]);
  const list = d.docker.listContainers;
  d.docker.listContainers = (labels) => ((added = true), list(labels));
  await cleanupOrphanedPodDirs(d, {
    rootDir: root,
    nodeName: "n1",
    desiredUids: () => (added ? [uid("a")] : []),
    mountInfoPath: "/test/mountinfo",
  });
  assert.equal(await exists(`${root}/pods/${uid("a")}`), true);
  await rm(root, { recursive: true });
});

test("cleanupOrphanedPodDirs removes nothing when the Engine cannot be listed", async () => {
  const root = await rootWith([uid("a")]);
  const d = deps([]);
  d.docker.listContainers = () => Promise.reject(new Error("engine down"));
  await assert.rejects(
    cleanupOrphanedPodDirs(d, {
      rootDir: root,
      nodeName: "n1",
      desiredUids: () => [],
      mountInfoPath: "/test/mountinfo",
    }),
    /engine down/,
  );
  assert.equal(await exists(`${root}/pods/${uid("a")}`), true);
  await rm(root, { recursive: true });
});

test("orphanedPodUids matches bind sources named through another path to the root dir", () => {
  const entries = [uid("a"), uid("b")].map((name) => ({
    name,
    isDirectory: true,
    isFile: false,
    isSymlink: false,
  }));
  assert.deepEqual(
    orphanedPodUids({
      podsDir: "/var/lib/kubelet/pods",
      entries,
      keep: new Set(),
      mountSources: [`/data/kubelet/pods/${uid("a")}/volumes/x`],
      mountPoints: [],
    }),
    [uid("b")],
  );
});

test("parseMountPoints decodes the octal escapes of mountinfo", () => {
  assert.deepEqual(
    parseMountPoints(
      "22 1 0:21 / /proc rw - proc proc rw\n36 35 98:0 /a /mnt/with\\040space rw - ext4 /dev/x rw\n",
    ),
    ["/proc", "/mnt/with space"],
  );
});

test("podDirHousekeeper runs one pass at a time, at most once per period, and logs failures", async () => {
  const d = deps([]);
  let passes = 0;
  let release!: () => void;
  d.fs.readDir = () => (passes++, new Promise((r) => (release = () => r([]))));
  const tick = podDirHousekeeper(d, { rootDir: "/nowhere", nodeName: "n1", desiredUids: () => [] }, 0, 0);
  const first = tick();
  await tick();
  assert.equal(passes, 1, "a second pass does not start while the first runs");
  release();
  await first;
  d.fs.readDir = () => Promise.reject(new Error("EACCES"));
  await tick();
  assert.match(d.lines.join("\n"), /housekeeping of pod directories failed.*EACCES/);
  const counted = deps([]);
  let n = 0;
  counted.fs.readDir = () => (n++, Promise.resolve([]));
  const periodic = podDirHousekeeper(
    counted,
    { rootDir: "/nowhere", nodeName: "n1", desiredUids: () => [] },
    60_000,
  );
  await periodic();
  await periodic(true);
  assert.equal(n, 1, "not again within the period, even when asked");
});

test("podDirHousekeeper runs a pass when asked (a pod removed, containers gone), and otherwise only every quietMs", async () => {
  const d = deps([]);
  let passes = 0;
  d.fs.readDir = () => (passes++, Promise.resolve([]));
  const options = { rootDir: "/nowhere", nodeName: "n1", desiredUids: () => [] };
  const tick = podDirHousekeeper(d, options, 0, 60_000);
  await tick();
  assert.equal(passes, 1, "the first call runs a pass");
  await tick();
  await tick(false);
  assert.equal(passes, 1, "nothing changed: no pass before quietMs");
  await tick(true);
  assert.equal(passes, 2, "asked: a pass");
  const quiet = podDirHousekeeper(d, options, 0, 0);
  await quiet();
  await quiet();
  assert.equal(passes, 4, "every call once quietMs has passed");
  // Asked within the period: the pass waits for a later call, which needs no asking.
  const slow = podDirHousekeeper(d, options, 50, 60_000);
  await slow();
  await slow(true);
  assert.equal(passes, 5);
  await new Promise((r) => setTimeout(r, 60));
  await slow();
  assert.equal(passes, 6, "the request was kept");
});

test("cleanupOrphanedPodDirs unmounts the tmpfs of an orphan's secret and projected volumes before removing it", async () => {
  const root = await rootWith([uid("a"), uid("b")]);
  const unmounted: string[] = [];
  const secret = (u: string) => `${root}/pods/${u}/volumes/kubernetes.io~secret/creds`;
  const d = deps(
    [],
    [],
    `40 35 0:60 / ${secret(uid("a"))} rw - tmpfs tmpfs rw\n` +
      // Not the kubelet's own: an ext4 mount where a secret volume would be keeps its pod directory.
      `41 35 8:1 / ${secret(uid("b"))} rw - ext4 /dev/sda1 rw\n`,
  );
  d.fs.unmount = (p) => (unmounted.push(p), Promise.resolve());
  const result = await cleanupOrphanedPodDirs(d, {
    rootDir: root,
    nodeName: "n1",
    desiredUids: () => [],
    mountInfoPath: "/test/mountinfo",
  });
  assert.deepEqual(unmounted, [secret(uid("a"))]);
  assert.deepEqual(result.removedDirs, [uid("a")]);
  assert.equal(await exists(`${root}/pods/${uid("b")}`), true);
  await rm(root, { recursive: true });
});

test("cleanupOrphanedPodDirs keeps a pod directory holding a secret's tmpfs when it cannot unmount", async () => {
  const root = await rootWith([uid("a")]);
  const d = deps(
    [],
    [],
    `40 35 0:60 / ${root}/pods/${uid("a")}/volumes/kubernetes.io~secret/creds rw - tmpfs tmpfs rw\n`,
  );
  const result = await cleanupOrphanedPodDirs(d, {
    rootDir: root,
    nodeName: "n1",
    desiredUids: () => [],
    mountInfoPath: "/test/mountinfo",
  });
  assert.deepEqual(result.removedDirs, []);
  assert.equal(await exists(`${root}/pods/${uid("a")}`), true);
  await rm(root, { recursive: true });
});

test("cleanupOrphanedPodDirs reads neither the Engine's containers nor the mount table when every directory is wanted", async () => {
  const root = await rootWith([uid("a"), uid("b"), "not-a-uid"]);
  const d = deps([]);
  let listed = 0, mountInfoRead = 0;
  d.docker.listContainers = () => (listed++, Promise.resolve([]));
  const readTextFile = d.fs.readTextFile;
  d.fs.readTextFile = (p, o) => (mountInfoRead++, readTextFile(p, o));
  const options = {
    rootDir: root,
    nodeName: "n",
    desiredUids: () => [uid("a"), uid("b")],
    mountInfoPath: "/test/mountinfo",
  };
  assert.deepEqual(await cleanupOrphanedPodDirs(d, options), { removedDirs: [], removedVolumes: [] });
  assert.equal(listed, 0);
  assert.equal(mountInfoRead, 0);
  // One directory no source wants: now the Engine is asked (and may still keep it).
  await mkdir(`${root}/pods/${uid("c")}`);
  d.docker.listContainers =
    () => (listed++, Promise.resolve([container({ [LABEL_NODE]: "n", [LABEL_POD_UID]: uid("c") })]));
  assert.deepEqual(await cleanupOrphanedPodDirs(d, options), { removedDirs: [], removedVolumes: [] });
  assert.equal(listed, 1);
  assert.ok(await exists(`${root}/pods/${uid("c")}`));
  // A memory volume of a pod no source wants is a candidate too.
  await rm(`${root}/pods/${uid("c")}`, { recursive: true });
  d.docker.listVolumes = () => Promise.resolve([`k8s_${uid("d")}_cache`]);
  d.docker.listContainers = () => (listed++, Promise.resolve([]));
  assert.deepEqual(await cleanupOrphanedPodDirs(d, options), {
    removedDirs: [],
    removedVolumes: [`k8s_${uid("d")}_cache`],
  });
  assert.equal(listed, 2);
  await rm(root, { recursive: true, force: true });
});
