import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../src/api/types.ts";
import { emptyMergeState, mergeSnapshot, type MergeState } from "../../src/config/merge.ts";
import type { ManifestProblem, Snapshot, SourcedPod } from "../../src/config/snapshot.ts";

/** A static pod as the file source makes it; `version` stands for its content. */
function sourced(name: string, origin: string, version = 1, seen = "2024-05-06T07:08:09Z"): SourcedPod {
  const uid = `${name}-v${version}`;
  const pod: Pod = {
    metadata: {
      name: `${name}-node1`,
      namespace: "default",
      uid,
      annotations: {
        "kubernetes.io/config.hash": uid,
        "kubernetes.io/config.source": "file",
        "kubernetes.io/config.seen": seen,
      },
    },
    spec: { containers: [{ name: "c", image: `busybox:${version}` }], nodeName: "node1" },
  };
  return { pod, origin };
}

function snapshot(pods: SourcedPod[], more: Partial<Snapshot> = {}): Snapshot {
  return { source: "file", pods, problems: [], failedOrigins: [], ...more };
}

/** The changes as `op name origin` strings, for short assertions. */
function ops(
  state: MergeState,
  snap: Snapshot,
): { state: MergeState; changes: string[]; problems: ManifestProblem[] } {
  const result = mergeSnapshot(state, snap);
  return { ...result, changes: result.changes.map((c) => `${c.op} ${c.pod.metadata.name} ${c.origin}`) };
}

describe("mergeSnapshot", () => {
  test("adds every pod of the first snapshot, in its order", () => {
    const { changes } = ops(
      emptyMergeState(),
      snapshot([sourced("a", "/m/a.yaml"), sourced("b", "/m/b.yaml")]),
    );
    assert.deepEqual(changes, ["add a-node1 /m/a.yaml", "add b-node1 /m/b.yaml"]);
  });

  test("emits nothing for pods that only were seen again, and keeps their first-seen time", () => {
    const { state } = mergeSnapshot(emptyMergeState(), snapshot([sourced("a", "/m/a.yaml")]));
    const later = snapshot([sourced("a", "/m/a.yaml", 1, "2024-05-06T07:09:00Z")]);
    const result = mergeSnapshot(state, later);
    assert.deepEqual(result.changes, []);
    const kept = result.state.sources.file?.get("a-node1_default")?.pod;
    assert.equal(kept?.metadata.annotations?.["kubernetes.io/config.seen"], "2024-05-06T07:08:09Z");
  });

  test("updates a pod whose content changed and removes one that is gone, removes first", () => {
    const first = mergeSnapshot(
      emptyMergeState(),
      snapshot([sourced("a", "/m/a.yaml"), sourced("b", "/m/b.yaml")]),
    );
    const { changes } = ops(first.state, snapshot([sourced("a", "/m/a.yaml", 2), sourced("c", "/m/c.yaml")]));
    assert.deepEqual(changes, [
      "remove b-node1 /m/b.yaml",
      "update a-node1 /m/a.yaml",
      "add c-node1 /m/c.yaml",
    ]);
  });

  test("updates a pod that moved to another file", () => {
    const first = mergeSnapshot(emptyMergeState(), snapshot([sourced("a", "/m/a.yaml")]));
    assert.deepEqual(ops(first.state, snapshot([sourced("a", "/m/z.yaml")])).changes, [
      "update a-node1 /m/z.yaml",
    ]);
  });

  test("keeps the last good pod of a manifest that an edit broke", () => {
    const first = mergeSnapshot(
      emptyMergeState(),
      snapshot([sourced("a", "/m/a.yaml"), sourced("b", "/m/b.yaml")]),
    );
    const broken = snapshot([sourced("b", "/m/b.yaml")], { failedOrigins: ["/m/a.yaml"] });
    const second = ops(first.state, broken);
    assert.deepEqual(second.changes, []);
    assert.ok(second.state.sources.file?.has("a-node1_default"));
    // Once the file is fixed, or removed, the pod follows it.
    assert.deepEqual(
      ops(second.state, snapshot([sourced("a", "/m/a.yaml", 2), sourced("b", "/m/b.yaml")])).changes,
      [
        "update a-node1 /m/a.yaml",
      ],
    );
    assert.deepEqual(ops(second.state, snapshot([sourced("b", "/m/b.yaml")])).changes, [
      "remove a-node1 /m/a.yaml",
    ]);
  });

  test("still applies the good documents of a file that also holds a broken one", () => {
    const first = mergeSnapshot(
      emptyMergeState(),
      snapshot([sourced("a", "/m/multi.yaml"), sourced("b", "/m/multi.yaml")]),
    );
    const partly = snapshot([sourced("a", "/m/multi.yaml", 2)], { failedOrigins: ["/m/multi.yaml"] });
    assert.deepEqual(ops(first.state, partly).changes, ["update a-node1 /m/multi.yaml"]);
  });

  test("keeps the first of two pods with one name and reports both files", () => {
    const { changes, problems } = ops(
      emptyMergeState(),
      snapshot([sourced("a", "/m/1.yaml"), sourced("a", "/m/2.yaml", 2)]),
    );
    assert.deepEqual(changes, ["add a-node1 /m/1.yaml"]);
    assert.deepEqual(problems, [
      {
        origin: "/m/2.yaml",
        message: 'pod "a-node1_default" is already defined in /m/1.yaml; ignoring this one',
      },
    ]);
  });

  test("leaves a name to the source that claimed it first", () => {
    const files = mergeSnapshot(emptyMergeState(), snapshot([sourced("a", "/m/a.yaml")]));
    const url = "http://example.com/pods";
    const web = ops(files.state, snapshot([sourced("a", url), sourced("w", url)], { source: "http" }));
    assert.deepEqual(web.changes, [`add w-node1 ${url}`]);
    assert.deepEqual(web.problems, [{
      origin: url,
      message: 'pod "a-node1_default" is already defined in the file source (/m/a.yaml); ignoring this one',
    }]);
    assert.equal(web.state.sources.file, files.state.sources.file);
    // When the file source lets the name go, the http source gets it with its next snapshot.
    const released = mergeSnapshot(web.state, snapshot([]));
    assert.deepEqual(released.changes.map((c) => c.op), ["remove"]);
    assert.deepEqual(
      ops(released.state, snapshot([sourced("a", url), sourced("w", url)], { source: "http" })).changes,
      [
        `add a-node1 ${url}`,
      ],
    );
  });

  test("keeps each source's pods apart", () => {
    const files = mergeSnapshot(emptyMergeState(), snapshot([sourced("a", "/m/a.yaml")]));
    const web = mergeSnapshot(files.state, snapshot([], { source: "http" }));
    assert.deepEqual(web.changes, []);
    assert.ok(web.state.sources.file?.has("a-node1_default"));
  });

  test("passes the snapshot's own problems on first", () => {
    const problem = { origin: "/m/x.yaml", line: 3, message: "kind: expected Pod, got Deployment" };
    const { problems } = ops(
      emptyMergeState(),
      snapshot([sourced("a", "/m/1.yaml"), sourced("a", "/m/2.yaml")], { problems: [problem] }),
    );
    assert.equal(problems.length, 2);
    assert.deepEqual(problems[0], problem);
  });

  test("changes neither the state nor the snapshot it is given", () => {
    const first = mergeSnapshot(emptyMergeState(), snapshot([sourced("a", "/m/a.yaml")]));
    const before = new Map(first.state.sources.file);
    const next = snapshot([sourced("b", "/m/b.yaml")]);
    const copy = structuredClone(next);
    mergeSnapshot(first.state, next);
    assert.deepEqual(new Map(first.state.sources.file), before);
    assert.deepEqual(next, copy);
  });

  test("emits nothing for an empty source that stays empty", () => {
    const { state, changes } = mergeSnapshot(emptyMergeState(), snapshot([]));
    assert.deepEqual(changes, []);
    assert.equal(state.sources.file?.size, 0);
  });

  test("refuses a second pod with a UID another pod of the snapshot holds, naming both manifests", () => {
    const a = sourced("a", "/m/a.yaml");
    const b = sourced("b", "/m/b.yaml");
    b.pod.metadata.uid = a.pod.metadata.uid;
    const { changes, problems } = ops(emptyMergeState(), snapshot([a, b]));
    assert.deepEqual(changes, ["add a-node1 /m/a.yaml"]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].origin, "/m/b.yaml");
    assert.match(
      problems[0].message,
      /^pod "b-node1_default": metadata.uid "a-v1" is already used by pod "a-node1_default" \(\/m\/a.yaml\)/,
    );
  });

  test("refuses a pod whose UID another source's pod holds", () => {
    const first = mergeSnapshot(emptyMergeState(), snapshot([sourced("a", "/m/a.yaml")])).state;
    const b = sourced("b", "http://127.0.0.1/pods");
    b.pod.metadata.uid = "a-v1";
    const { changes, problems } = ops(first, snapshot([b], { source: "http" }));
    assert.deepEqual(changes, []);
    assert.match(
      problems[0].message,
      /already used by pod "a-node1_default" \(the file source: \/m\/a.yaml\)/,
    );
  });

  test("refuses a UID moved to another manifest while its last holder is being removed, then adds it once free", () => {
    const first = mergeSnapshot(emptyMergeState(), snapshot([sourced("a", "/m/a.yaml")])).state;
    const b = sourced("b", "/m/b.yaml");
    b.pod.metadata.uid = "a-v1";
    const second = ops(first, snapshot([b]));
    assert.deepEqual(second.changes, ["remove a-node1 /m/a.yaml"]);
    assert.equal(second.problems.length, 1);
    assert.deepEqual(ops(second.state, snapshot([b])).changes, ["add b-node1 /m/b.yaml"]);
  });
});
