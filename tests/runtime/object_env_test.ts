import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Container, Pod } from "../../src/api/types.ts";
import { type ConfigObject, configObjectsOf, objectKey } from "../../src/api/config_objects.ts";
import { envFromObjects, keyRefValue } from "../../src/runtime/env_objects.ts";
import { isEnvVarName } from "../../src/api/env_var_name.ts";
import { objectEnv } from "../../src/runtime/object_env.ts";

const enc = (s: string) => new TextEncoder().encode(s);

function objects(...held: ConfigObject[]) {
  return configObjectsOf(new Map(held.map((h) => [objectKey({ kind: h.kind, ...h.object }), h])));
}
function configMap(name: string, data: Record<string, string>, namespace = "default"): ConfigObject {
  return {
    kind: "ConfigMap",
    object: { namespace, name, data, binaryData: {}, immutable: false, origin: "/m" },
  };
}
function secret(name: string, data: Record<string, string>, namespace = "default"): ConfigObject {
  const bytes = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, enc(v)]));
  return {
    kind: "Secret",
    object: { namespace, name, type: "Opaque", data: bytes, immutable: false, origin: "/m" },
  };
}

const pod = (namespace = "default") =>
  ({ metadata: { name: "p", namespace }, spec: { containers: [] } }) as Pod;
const container = (fields: Record<string, unknown>) =>
  ({ name: "c", image: "busybox", ...fields }) as Container;

describe("keyRefValue", () => {
  const held = objects(configMap("conf", { a: "1" }), secret("creds", { pass: "s3cret" }));
  const ref = (kind: "configMapKeyRef" | "secretKeyRef", name: string, key: string, optional?: boolean) => ({
    name: "X",
    valueFrom: { [kind]: { name, key, optional } },
  });

  test("reads a ConfigMap's key and a Secret's key, as text", () => {
    assert.equal(keyRefValue(pod(), ref("configMapKeyRef", "conf", "a"), held), "1");
    assert.equal(keyRefValue(pod(), ref("secretKeyRef", "creds", "pass"), held), "s3cret");
  });

  test("a missing object or key gives the kubelet's message", () => {
    assert.throws(() => keyRefValue(pod(), ref("configMapKeyRef", "x", "a"), held), {
      message: 'configmap "x" not found',
    });
    assert.throws(() => keyRefValue(pod(), ref("secretKeyRef", "x", "a"), held), {
      message: 'secret "x" not found',
    });
    assert.throws(() => keyRefValue(pod(), ref("configMapKeyRef", "conf", "k"), held), {
      message: "couldn't find key k in ConfigMap default/conf",
    });
    assert.throws(() => keyRefValue(pod(), ref("secretKeyRef", "creds", "k"), held), {
      message: "couldn't find key k in Secret default/creds",
    });
  });

  test("an optional missing object or key gives null; another source gives undefined", () => {
    assert.equal(keyRefValue(pod(), ref("configMapKeyRef", "x", "a", true), held), null);
    assert.equal(keyRefValue(pod(), ref("secretKeyRef", "creds", "k", true), held), null);
    assert.equal(
      keyRefValue(pod(), { name: "X", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }, held),
      undefined,
    );
  });

  test("looks in the pod's namespace only", () => {
    assert.throws(() => keyRefValue(pod("other"), ref("configMapKeyRef", "conf", "a"), held), {
      message: 'configmap "conf" not found',
    });
  });

  test("a key named like an Object property is not found unless it is there", () => {
    assert.throws(() => keyRefValue(pod(), ref("configMapKeyRef", "conf", "constructor"), held), {
      message: "couldn't find key constructor in ConfigMap default/conf",
    });
  });
});

describe("envFromObjects", () => {
  test("each key prefixed, keys sorted per source, a later source winning a name; invalid names skipped", () => {
    const held = objects(
      configMap("conf", { b: "2", a: "1", "1bad": "x" }),
      secret("creds", { a: "secret" }),
    );
    const result = envFromObjects(
      pod(),
      container({
        envFrom: [{ configMapRef: { name: "conf" }, prefix: "P_" }, { configMapRef: { name: "conf" } }, {
          secretRef: { name: "creds" },
        }],
      }),
      held,
    );
    assert.deepEqual(result.vars, [["P_1bad", "x"], ["P_a", "1"], ["P_b", "2"], ["b", "2"], ["a", "secret"]]);
    assert.deepEqual(result.skipped, [{
      message:
        "Keys [1bad] from the EnvFrom configMap default/conf were skipped since they are considered invalid environment variable names.",
    }]);
  });

  test("a missing source fails unless optional", () => {
    const c = (optional?: boolean) => container({ envFrom: [{ secretRef: { name: "gone", optional } }] });
    assert.throws(() => envFromObjects(pod(), c(), objects()), { message: 'secret "gone" not found' });
    assert.deepEqual(envFromObjects(pod(), c(true), objects()), { vars: [], skipped: [] });
  });

  test("isEnvVarName as the kubelet's IsEnvVarName", () => {
    for (const ok of ["A", "a.b-c_d", "_1", ".x"]) assert.equal(isEnvVarName(ok), true, ok);
    for (const bad of ["", "1a", "a b", "a=b", ".", "..", "..x"]) assert.equal(isEnvVarName(bad), false, bad);
  });
});

describe("objectEnv", () => {
  test("envFrom first, then env overriding it and expanding $(VAR) from it; optional missing left out", () => {
    const held = objects(
      configMap("conf", { HOST: "db", PORT: "5432" }),
      secret("creds", { password: "s3cret" }),
    );
    const events: string[] = [];
    const env = objectEnv(
      {
        objects: held,
        events: { event: (_ref, type, reason, message) => void events.push(`${type} ${reason} ${message}`) },
      },
      pod(),
      container({
        envFrom: [{ configMapRef: { name: "conf" } }],
        env: [
          { name: "PORT", value: "6543" },
          { name: "URL", value: "$(HOST):$(PORT)" },
          { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } },
          { name: "MAYBE", valueFrom: { configMapKeyRef: { name: "conf", key: "nope", optional: true } } },
          { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
        ],
      }),
      (e) => e.valueFrom?.fieldRef ? "node1" : undefined,
    );
    assert.deepEqual(env, ["HOST=db", "PORT=6543", "URL=db:6543", "PASSWORD=s3cret", "NODE=node1"]);
    assert.deepEqual(events, []);
  });

  test("skipped envFrom keys become a warning event", () => {
    const events: string[] = [];
    objectEnv(
      {
        objects: objects(secret("s", { "a-b c": "v" })),
        events: { event: (_r, type, reason) => void events.push(`${type} ${reason}`) },
      },
      pod(),
      container({ envFrom: [{ secretRef: { name: "s" } }] }),
      () => undefined,
    );
    assert.deepEqual(events, ["Warning InvalidEnvironmentVariableNames"]);
  });

  test("without objects, a reference fails with the kubelet's message", () => {
    assert.throws(
      () =>
        objectEnv(
          {},
          pod(),
          container({ env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "x", key: "k" } } }] }),
          () => undefined,
        ),
      { message: 'configmap "x" not found' },
    );
  });
});
