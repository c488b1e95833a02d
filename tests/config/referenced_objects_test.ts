import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../src/api/types.ts";
import { referencedObjects, referencesAny } from "../../src/config/referenced_objects.ts";

function pod(spec: Record<string, unknown>, namespace?: string): Pod {
  return { metadata: { name: "p", namespace }, spec: { containers: [], ...spec } } as Pod;
}

const names = (p: Pod) => referencedObjects(p).map((r) => `${r.kind}/${r.namespace}/${r.name}`);

describe("referencedObjects", () => {
  test("finds env, envFrom, volumes, projected sources and imagePullSecrets, once each", () => {
    const p = pod({
      imagePullSecrets: [{ name: "pull" }],
      initContainers: [{ name: "i", image: "x", envFrom: [{ configMapRef: { name: "init-cm" } }] }],
      containers: [{
        name: "c",
        image: "x",
        envFrom: [{ secretRef: { name: "from-secret" }, prefix: "P_" }, { configMapRef: { name: "cm" } }],
        env: [
          { name: "A", valueFrom: { configMapKeyRef: { name: "cm", key: "a" } } },
          { name: "B", valueFrom: { secretKeyRef: { name: "key-secret", key: "b" } } },
          { name: "C", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        ],
      }],
      volumes: [
        { name: "v1", configMap: { name: "vol-cm" } },
        { name: "v2", secret: { secretName: "vol-secret" } },
        {
          name: "v3",
          projected: {
            sources: [{ configMap: { name: "proj-cm" } }, { secret: { name: "proj-secret" } }, {
              downwardAPI: {},
            }],
          },
        },
        { name: "v4", emptyDir: {} },
      ],
    }, "ns");
    assert.deepEqual(names(p), [
      "Secret/ns/pull",
      "ConfigMap/ns/init-cm",
      "Secret/ns/from-secret",
      "ConfigMap/ns/cm",
      "Secret/ns/key-secret",
      "ConfigMap/ns/vol-cm",
      "Secret/ns/vol-secret",
      "ConfigMap/ns/proj-cm",
      "Secret/ns/proj-secret",
    ]);
  });

  test("a pod with no namespace refers to objects of the default namespace", () => {
    assert.deepEqual(names(pod({ imagePullSecrets: [{ name: "reg" }] })), ["Secret/default/reg"]);
  });

  test("a ConfigMap and a Secret of one name are two references", () => {
    const p = pod({
      volumes: [{ name: "a", configMap: { name: "x" } }, { name: "b", secret: { secretName: "x" } }],
    });
    assert.deepEqual(names(p), ["ConfigMap/default/x", "Secret/default/x"]);
  });

  test("skips names that are missing, empty or not strings, and fields of the wrong shape", () => {
    const p = pod({
      imagePullSecrets: [{}, { name: "" }, "x", { name: 3 }],
      containers: [{ name: "c", image: "x", env: "nope", envFrom: [{ configMapRef: null }] }],
      volumes: { name: "v" },
    });
    assert.deepEqual(names(p), []);
  });

  test("referencesAny is true only for a pod naming one of the keys", () => {
    const p = pod({ imagePullSecrets: [{ name: "reg" }] });
    assert.equal(referencesAny(p, new Set(["Secret/default/reg"])), true);
    assert.equal(referencesAny(p, new Set(["ConfigMap/default/reg"])), false);
    assert.equal(referencesAny(p, new Set()), false);
  });
});
