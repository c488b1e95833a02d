import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { emptyMergeState, mergeSnapshot, type MergeState } from "../../src/config/merge.ts";
import type { ConfigMapObject, SecretObject } from "../../src/api/config_objects.ts";
import type { Snapshot } from "../../src/config/snapshot.ts";

function configMap(
  name: string,
  data: Record<string, string>,
  more: Partial<ConfigMapObject> = {},
): ConfigMapObject {
  return { namespace: "default", name, data, binaryData: {}, immutable: false, origin: "/m/a.yaml", ...more };
}

function secret(name: string, value: string, more: Partial<SecretObject> = {}): SecretObject {
  const data = { key: new TextEncoder().encode(value) };
  return { namespace: "default", name, type: "Opaque", data, immutable: false, origin: "/m/a.yaml", ...more };
}

function snapshot(more: Partial<Snapshot> = {}): Snapshot {
  return { source: "file", pods: [], problems: [], failedOrigins: [], ...more };
}

/** Merges in turn; the changed objects of each step as `Kind/ns/name` strings. */
function steps(...snaps: Snapshot[]) {
  let state: MergeState = emptyMergeState();
  return snaps.map((snap) => {
    const result = mergeSnapshot(state, snap);
    state = result.state;
    return { ...result, changed: result.changedObjects.map((r) => `${r.kind}/${r.namespace}/${r.name}`) };
  });
}

describe("mergeSnapshot with ConfigMaps and Secrets", () => {
  test("objects of a snapshot can be looked up by namespace and name, each kind on its own", () => {
    const [first] = steps(
      snapshot({ configMaps: [configMap("x", { a: "1" })], secrets: [secret("y", "s")] }),
    );
    assert.deepEqual(first.objects.configMap("default", "x")?.data, { a: "1" });
    assert.equal(first.objects.secret("default", "x"), undefined);
    assert.equal(first.objects.configMap("other", "x"), undefined);
    assert.deepEqual(first.objects.secret("default", "y")?.data.key, new TextEncoder().encode("s"));
    assert.deepEqual(first.changed, ["ConfigMap/default/x", "Secret/default/y"]);
  });

  test("names an object whose content changed, appeared or went away; an unchanged one not", () => {
    const [, second, third] = steps(
      snapshot({ configMaps: [configMap("x", { a: "1" }), configMap("same", {})] }),
      snapshot({
        configMaps: [configMap("x", { a: "2" }), configMap("same", {})],
        secrets: [secret("new", "v")],
      }),
      snapshot({ configMaps: [configMap("same", {})] }),
    );
    assert.deepEqual(second.changed, ["ConfigMap/default/x", "Secret/default/new"]);
    assert.deepEqual(third.changed, ["ConfigMap/default/x", "Secret/default/new"]);
    assert.equal(third.objects.configMap("default", "x"), undefined);
  });

  test("a changed secret byte is a change; the same bytes from a new reading are not", () => {
    const [, same, changed] = steps(
      snapshot({ secrets: [secret("s", "abc")] }),
      snapshot({ secrets: [secret("s", "abc")] }),
      snapshot({ secrets: [secret("s", "abd")] }),
    );
    assert.deepEqual(same.changed, []);
    assert.deepEqual(changed.changed, ["Secret/default/s"]);
  });

  test("keeps the objects of a failed origin and reports no change for them", () => {
    const [, second] = steps(
      snapshot({ configMaps: [configMap("x", { a: "1" })] }),
      snapshot({ failedOrigins: ["/m/a.yaml"] }),
    );
    assert.deepEqual(second.objects.configMap("default", "x")?.data, { a: "1" });
    assert.deepEqual(second.changed, []);
  });

  test("the first of two objects with one name wins, and the second is reported", () => {
    const [first] = steps(snapshot({
      configMaps: [configMap("x", { a: "1" }), configMap("x", { a: "2" }, { origin: "/m/b.yaml" })],
    }));
    assert.deepEqual(first.objects.configMap("default", "x")?.data, { a: "1" });
    assert.deepEqual(first.problems, [{
      origin: "/m/b.yaml",
      message: 'ConfigMap "default/x" is already defined in /m/a.yaml; ignoring this one',
    }]);
  });

  test("an object another source holds stays that source's", () => {
    let state = mergeSnapshot(emptyMergeState(), snapshot({ secrets: [secret("s", "file")] })).state;
    const result = mergeSnapshot(
      state,
      snapshot({ source: "http", secrets: [secret("s", "url", { origin: "http://127.0.0.1/m" })] }),
    );
    state = result.state;
    assert.deepEqual(result.objects.secret("default", "s")?.data.key, new TextEncoder().encode("file"));
    assert.match(result.problems[0].message, /already defined in the file source \(\/m\/a\.yaml\)/);
    assert.deepEqual(result.changedObjects, []);
  });

  test("an immutable object keeps its content until it is gone once", () => {
    const [, edited, gone, again] = steps(
      snapshot({ configMaps: [configMap("x", { a: "1" }, { immutable: true })] }),
      snapshot({ configMaps: [configMap("x", { a: "2" }, { immutable: true })] }),
      snapshot(),
      snapshot({ configMaps: [configMap("x", { a: "2" }, { immutable: true })] }),
    );
    assert.deepEqual(edited.objects.configMap("default", "x")?.data, { a: "1" });
    assert.deepEqual(edited.changed, []);
    assert.match(edited.problems[0].message, /^ConfigMap "default\/x": Forbidden: field is immutable/);
    assert.deepEqual(gone.changed, ["ConfigMap/default/x"]);
    assert.deepEqual(again.objects.configMap("default", "x")?.data, { a: "2" });
  });

  test("a snapshot without object fields holds no objects", () => {
    const [, second] = steps(snapshot({ secrets: [secret("s", "v")] }), snapshot());
    assert.equal(second.objects.secret("default", "s"), undefined);
    assert.deepEqual(second.changed, ["Secret/default/s"]);
  });
});
