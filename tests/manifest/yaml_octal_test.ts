import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeManifest } from "../../src/manifest/decode.ts";

test("decodeManifest reads YAML integers with a leading zero as octal, as go-yaml (and so the API server) does", () => {
  const [doc] = decodeManifest(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: busybox}]
  volumes:
  - name: s
    secret: {secretName: s, defaultMode: 0400, items: [{key: k, path: k, mode: 0755}, {key: j, path: j, mode: -010}]}
  - name: c
    configMap: {name: c, defaultMode: 420, items: [{key: k, path: k, mode: 0}]}
  - name: q
    configMap: {name: "0644", defaultMode: 0o644}
`);
  const [s, c, q] = doc.pod!.spec.volumes!;
  assert.equal(s.secret!.defaultMode, 0o400);
  assert.deepEqual(s.secret!.items!.map((i) => i.mode), [0o755, -8]);
  assert.equal(c.configMap!.defaultMode, 420);
  assert.equal(c.configMap!.items![0].mode, 0);
  assert.equal(q.configMap!.name, "0644");
  assert.equal(q.configMap!.defaultMode, 0o644);
});
