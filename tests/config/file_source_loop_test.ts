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
  const snapshots: Snapshot[] = [];
  try {
    await runFileSource(dir.platform, createLogger({ write: () => {} }), {
      path: "/m",
      nodeName: "n",
      periodMs: 0,
      signal: abort.signal,
    }, (s) => void snapshots.push(s));
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
