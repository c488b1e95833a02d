import { test } from "node:test";
import assert from "node:assert/strict";
import { runFileSource } from "../../src/config/file_source_loop.ts";
import { createLogger } from "../../src/log.ts";
import type { Platform } from "../../src/platform/types.ts";
import type { Snapshot } from "../../src/config/snapshot.ts";
import type { Pod } from "../../src/api/types.ts";
import { emptyMergeState, mergeSnapshot } from "../../src/config/merge.ts";

const FULL = `apiVersion: v1
kind: Pod
metadata: {name: etcd}
spec:
  containers:
  - name: etcd
    image: etcd
    volumeMounts: [{name: data, mountPath: /var/lib/etcd}]
  volumes:
  - name: data
    hostPath: {path: /var/lib/etcd}
`;
/** FULL cut at a line boundary: a valid pod whose volume is missing. */
const PREFIX = FULL.slice(0, FULL.indexOf("    volumeMounts"));

/** A directory holding one file whose reads return `texts` in turn (the last one from then on). */
function fakeDir(texts: string[]) {
  let reads = 0;
  let onChange = () => {};
  const fs = {
    stat: (path: string) =>
      Promise.resolve(
        path === "/m"
          ? {
            isFile: false,
            isDirectory: true,
            isSocket: false,
            isCharDevice: false,
            isBlockDevice: false,
            mtimeMs: 0,
            size: 0,
          }
          : {
            isFile: true,
            isDirectory: false,
            isSocket: false,
            isCharDevice: false,
            isBlockDevice: false,
            mtimeMs: 0,
            size: 1,
          },
      ),
    readDir: () =>
      Promise.resolve([{ name: "etcd.yaml", isFile: true, isDirectory: false, isSymlink: false }]),
    readTextFile: () => Promise.resolve(texts[Math.min(reads++, texts.length - 1)]),
    watch: (_path: string, cb: () => void) => void (onChange = cb),
  };
  return { platform: fs as unknown as Platform, change: () => onChange(), reads: () => reads };
}

/**
 * Starts the file source on `dir` (no periodic re-read) and resolves, once its
 * first reading is over, the list it goes on handing snapshots to.
 */
async function collect(dir: ReturnType<typeof fakeDir>, signal: AbortSignal): Promise<Snapshot[]> {
  const snapshots: Snapshot[] = [];
  const options = { path: "/m", nodeName: "n", periodMs: 0, signal };
  await runFileSource(
    dir.platform,
    createLogger({ write: () => {} }),
    options,
    (s) => void snapshots.push(s),
  );
  return snapshots;
}

/** The pods the kubelet holds after each snapshot, as the merger keeps them. */
function merged(snapshots: Snapshot[]): Pod[][] {
  let state = emptyMergeState();
  return snapshots.map((s) => {
    state = mergeSnapshot(state, s).state;
    return [...(state.sources.file?.values() ?? [])].map((p) => p.pod);
  });
}

test("runFileSource never hands over a manifest caught mid-write, only the finished one", async () => {
  const abort = new AbortController();
  // Starts complete; then an in-place rewrite is caught half-written once before it is finished.
  const dir = fakeDir([FULL, FULL, PREFIX, FULL.replace("image: etcd", "image: etcd:2")]);
  try {
    const snapshots = await collect(dir, abort.signal);
    assert.equal(dir.reads(), 2, "the first snapshot waited for a second read to agree");
    assert.equal(snapshots.length, 1);
    dir.change();
    const edited = () => merged(snapshots).at(-1)?.[0]?.spec.containers[0].image === "etcd:2";
    for (let i = 0; i < 500 && !edited(); i++) await new Promise((r) => setTimeout(r, 20));
    const held = merged(snapshots);
    assert.ok(held.every((pods) => pods.length === 1), "the pod is held throughout");
    assert.ok(held.every(([pod]) => pod.spec.volumes?.length === 1), "never the half-written pod");
    assert.equal(held.at(-1)![0].spec.containers[0].image, "etcd:2", "the finished edit is handed over");
  } finally {
    abort.abort();
  }
});

test("runFileSource hands over nothing on a re-read of unchanged files, and the next change at once", async () => {
  const abort = new AbortController();
  // The same text on every read until the fifth, then an edit.
  const texts = [FULL, FULL, FULL, FULL, FULL, FULL.replace("image: etcd", "image: etcd:2")];
  const dir = fakeDir(texts);
  try {
    const snapshots = await collect(dir, abort.signal);
    assert.equal(snapshots.length, 1);
    // Re-reads of the unchanged file (as the periodic one does): read, never handed over.
    for (let i = 0; i < 3; i++) {
      const reads = dir.reads();
      dir.change();
      for (let j = 0; j < 100 && dir.reads() === reads; j++) await new Promise((r) => setTimeout(r, 5));
    }
    assert.ok(dir.reads() >= 5, `read ${dir.reads()} times`);
    assert.equal(snapshots.length, 1, "an unchanged snapshot is not handed over again");
    // The edit: read twice to settle (the first read hands over the file as not yet readable, so
    // that its pods are kept), then handed over.
    const edited = () => snapshots.at(-1)?.pods[0]?.pod.spec.containers[0].image === "etcd:2";
    for (let i = 0; i < 100 && !edited(); i++) {
      dir.change();
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(edited(), "the edit is handed over");
    assert.ok(snapshots.length <= 3, `${snapshots.length} snapshots`);
  } finally {
    abort.abort();
  }
});

test("sameSnapshot: the same pod objects and equal problems are the same snapshot; anything else is not", async () => {
  const { sameSnapshot } = await import("../../src/config/file_source_loop.ts");
  const pod = { pod: { metadata: { name: "a" } } as Pod, origin: "/m/a.yaml" };
  const base: Snapshot = { source: "file", pods: [pod], problems: [], failedOrigins: [] };
  assert.ok(sameSnapshot(base, { ...base, pods: [{ ...pod }] }));
  assert.ok(!sameSnapshot(base, { ...base, pods: [{ ...pod, pod: { ...pod.pod } }] }), "another pod object");
  assert.ok(!sameSnapshot(base, { ...base, pods: [] }));
  assert.ok(!sameSnapshot(base, { ...base, problems: [{ origin: "/m/b.yaml", message: "bad" }] }));
  assert.ok(!sameSnapshot(base, { ...base, failedOrigins: ["/m/b.yaml"] }));
  assert.ok(!sameSnapshot(base, { ...base, warnings: [{ origin: "/m/a.yaml", message: "unknown field" }] }));
});
