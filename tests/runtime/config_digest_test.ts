import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../src/api/types.ts";
import {
  configDigests,
  consumedObjects,
  RESTART_ON_CONFIG_CHANGE_ANNOTATION,
} from "../../src/runtime/config_digest.ts";
import { objectsOf } from "../volume/_objects.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

function pod(annotated = true): Pod {
  return {
    metadata: {
      name: "web",
      namespace: "default",
      annotations: annotated ? { [RESTART_ON_CONFIG_CHANGE_ANNOTATION]: "true" } : {},
    },
    spec: {
      containers: [
        {
          name: "env",
          image: "busybox",
          env: [
            { name: "A", valueFrom: { configMapKeyRef: { name: "cm-env", key: "a" } } },
            { name: "B", valueFrom: { secretKeyRef: { name: "sec-env", key: "b" } } },
          ],
          envFrom: [{ configMapRef: { name: "cm-from" } }, { secretRef: { name: "sec-from" } }],
        },
        {
          name: "vol",
          image: "busybox",
          volumeMounts: [{ name: "cfg", mountPath: "/c" }, { name: "all", mountPath: "/a" }],
        },
        { name: "none", image: "busybox" },
      ],
      volumes: [
        { name: "cfg", configMap: { name: "cm-vol" } },
        {
          name: "all",
          projected: { sources: [{ secret: { name: "sec-proj" } }, { configMap: { name: "cm-proj" } }] },
        },
        { name: "unmounted", secret: { secretName: "sec-unused" } },
      ],
    },
  } as Pod;
}

test("consumedObjects lists the env refs, envFrom and mounted volumes' objects of one container", () => {
  const p = pod();
  assert.deepEqual(consumedObjects(p, p.spec.containers[0]), [
    "configmap/cm-env",
    "configmap/cm-from",
    "secret/sec-env",
    "secret/sec-from",
  ]);
  assert.deepEqual(consumedObjects(p, p.spec.containers[1]), [
    "configmap/cm-proj",
    "configmap/cm-vol",
    "secret/sec-proj",
  ]);
  assert.deepEqual(consumedObjects(p, p.spec.containers[2]), []);
});

test("configDigests is empty for a pod without the annotation, whatever it consumes", () => {
  assert.deepEqual(configDigests(pod(false), objectsOf([{ name: "cm-vol", data: { a: "1" } }])), {});
  const other = pod(false);
  other.metadata.annotations = { [RESTART_ON_CONFIG_CHANGE_ANNOTATION]: "yes" };
  assert.deepEqual(configDigests(other, objectsOf([])), {});
});

test("configDigests changes for exactly the containers whose consumed objects changed", () => {
  const before = configDigests(
    pod(),
    objectsOf([{ name: "cm-vol", data: { a: "1" } }], [{ name: "sec-env", data: { b: bytes("x") } }]),
  );
  assert.deepEqual(Object.keys(before).sort(), ["env", "vol"]);
  const cmChanged = configDigests(
    pod(),
    objectsOf([{ name: "cm-vol", data: { a: "2" } }], [{ name: "sec-env", data: { b: bytes("x") } }]),
  );
  assert.equal(cmChanged.env, before.env);
  assert.notEqual(cmChanged.vol, before.vol);
  const secretChanged = configDigests(
    pod(),
    objectsOf([{ name: "cm-vol", data: { a: "1" } }], [{ name: "sec-env", data: { b: bytes("y") } }]),
  );
  assert.notEqual(secretChanged.env, before.env);
  assert.equal(secretChanged.vol, before.vol);
  // An object appearing counts as a change; an unrelated object does not.
  const added = configDigests(
    pod(),
    objectsOf([{ name: "cm-vol", data: { a: "1" } }, { name: "cm-from", data: {} }], [{
      name: "sec-env",
      data: { b: bytes("x") },
    }]),
  );
  assert.notEqual(added.env, before.env);
  const unrelated = configDigests(
    pod(),
    objectsOf([{ name: "cm-vol", data: { a: "1" } }, { name: "zzz", data: {} }], [{
      name: "sec-env",
      data: { b: bytes("x") },
    }]),
  );
  assert.deepEqual(unrelated, before);
});

test("configDigests tells a key moved between values apart (the parts are framed)", () => {
  const a = configDigests(pod(), objectsOf([{ name: "cm-vol", data: { ab: "c" } }]));
  const b = configDigests(pod(), objectsOf([{ name: "cm-vol", data: { a: "bc" } }]));
  assert.notEqual(a.vol, b.vol);
});

test("configDigests never holds a secret's value", () => {
  const digests = configDigests(pod(), objectsOf([], [{ name: "sec-env", data: { b: bytes("hunter2") } }]));
  assert.ok(Object.values(digests).every((d) => /^[0-9a-f]{8}$/.test(d)));
});
