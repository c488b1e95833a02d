import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { platform } from "../../src/platform/mod.ts";
import { readFileSource } from "../../src/config/file_source.ts";
import { addManifestPods } from "../../src/config/manifest_pods.ts";
import type { Snapshot } from "../../src/config/snapshot.ts";

async function read(text: string): Promise<Snapshot> {
  const snapshot: Snapshot = { source: "file", pods: [], problems: [], failedOrigins: [] };
  await addManifestPods(
    text,
    { source: "file", origin: "/m/a.yaml", nodeName: "n1", seen: new Date(0) },
    snapshot,
  );
  return snapshot;
}

describe("addManifestPods with ConfigMaps and Secrets", () => {
  test("a pod, a ConfigMap and a Secret from one file, each in its place", async () => {
    const snapshot = await read(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: conf, namespace: ns}
data: {a: "1"}
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: creds}
  stringData: {password: s3cret}
`);
    assert.deepEqual(snapshot.problems, []);
    assert.equal(snapshot.pods.length, 1);
    assert.deepEqual(snapshot.configMaps?.map((c) => [c.namespace, c.name, c.origin]), [[
      "ns",
      "conf",
      "/m/a.yaml",
    ]]);
    assert.deepEqual(snapshot.secrets?.map((s) => [s.namespace, s.name, s.type]), [[
      "default",
      "creds",
      "Opaque",
    ]]);
  });

  test("a broken object fails its origin with file line and field, naming the object, never its value", async () => {
    const snapshot = await read(`apiVersion: v1
kind: ConfigMap
metadata: {name: good}
---
apiVersion: v1
kind: Secret
metadata: {name: bad}
data: {"a b": "c2VjcmV0dmFsdWU=", ok: "notbase64!!"}
extra: 1
`);
    assert.deepEqual(snapshot.failedOrigins, ["/m/a.yaml"]);
    assert.deepEqual(snapshot.problems, [
      {
        origin: "/m/a.yaml",
        line: 5,
        message:
          `secret "bad": data[ok]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 8`,
      },
      {
        origin: "/m/a.yaml",
        line: 5,
        message:
          `secret "bad": data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      },
    ]);
    assert.deepEqual(snapshot.warnings, [
      { origin: "/m/a.yaml", line: 5, message: 'secret "bad": unknown field "extra": not used' },
    ]);
    assert.equal(snapshot.secrets, undefined);
    assert.equal(snapshot.configMaps?.length, 1);
  });
});

describe("readFileSource with ConfigMaps and Secrets", () => {
  test("gives the objects of a file of their own, also when the file is read again unchanged", async () => {
    const dir = await mkdtemp(join(tmpdir(), "objects-source-"));
    try {
      await writeFile(
        join(dir, "conf.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata: {a: '1'}\n",
      );
      await writeFile(
        join(dir, "creds.json"),
        '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds"},"data":{"k":"dg=="}}',
      );
      const decoded = new Map();
      for (const round of [1, 2]) {
        const snapshot = await readFileSource(platform, dir, { nodeName: "n1", decoded });
        assert.deepEqual(snapshot.configMaps?.map((c) => c.name), ["conf"], `round ${round}`);
        assert.deepEqual(snapshot.secrets?.map((s) => [s.name, s.origin]), [[
          "creds",
          join(dir, "creds.json"),
        ]]);
        assert.deepEqual(snapshot.problems, []);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
