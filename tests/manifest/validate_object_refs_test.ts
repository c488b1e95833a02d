import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../src/api/types.ts";
import { validatePod } from "../../src/manifest/validate.ts";

function pod(container: Record<string, unknown>, spec: Record<string, unknown> = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default" },
    spec: { containers: [{ name: "c", image: "busybox", ...container }], ...spec },
  } as Pod;
}

describe("validatePod: references to ConfigMaps and Secrets", () => {
  test("accepts env key refs, envFrom with a prefix, and imagePullSecrets", () => {
    assert.deepEqual(
      validatePod(pod({
        env: [
          { name: "A", valueFrom: { configMapKeyRef: { name: "conf", key: "a.b", optional: true } } },
          { name: "B", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } },
        ],
        envFrom: [{ prefix: "CONF_", configMapRef: { name: "conf" } }, {
          secretRef: { name: "creds", optional: false },
        }],
      }, { imagePullSecrets: [{ name: "registry" }] })),
      [],
    );
  });

  test("refuses key refs without name or key, with a bad key, or with two sources", () => {
    assert.deepEqual(
      validatePod(pod({
        env: [
          { name: "A", valueFrom: { configMapKeyRef: { key: "a" } } },
          { name: "B", valueFrom: { secretKeyRef: { name: "s", key: "a b" } } },
          {
            name: "C",
            valueFrom: { secretKeyRef: { name: "s", key: "k" }, configMapKeyRef: { name: "c", key: "k" } },
          },
        ],
      })),
      [
        "spec.containers[0].env[0].valueFrom.configMapKeyRef.name: Required value",
        `spec.containers[0].env[1].valueFrom.secretKeyRef.key: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
        'spec.containers[0].env[2].valueFrom: Invalid value: "": may not have more than one field specified at a time',
      ],
    );
  });

  test("refuses envFrom with no source, two sources, a bad prefix or a bad name", () => {
    assert.deepEqual(
      validatePod(pod({
        envFrom: [
          { prefix: "P_" },
          { configMapRef: { name: "a" }, secretRef: { name: "b" } },
          { prefix: "1X", configMapRef: { name: "Bad" } },
        ],
      })),
      [
        'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
        'spec.containers[0].envFrom: Invalid value: "": may not have more than one field specified at a time',
        `spec.containers[0].envFrom[2].prefix: Invalid value: "1X": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`,
        `spec.containers[0].envFrom[2].configMapRef.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      ],
    );
  });

  test("refuses an imagePullSecret without a name", () => {
    assert.deepEqual(validatePod(pod({}, { imagePullSecrets: [{}] })), [
      "spec.imagePullSecrets[0].name: Required value",
    ]);
  });
});
