import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../src/api/types.ts";
import { validatePod } from "../../src/manifest/validate.ts";
import { fieldWarningMessages } from "../../src/manifest/field_warnings.ts";

// Volumes with values of the wrong type or shape.
// deno-lint-ignore no-explicit-any
type Any = any;

const podWith = (volume: Any): Pod => ({
  metadata: { name: "p" },
  spec: {
    containers: [{ name: "app", image: "busybox", volumeMounts: [{ name: "v", mountPath: "/v" }] }],
    volumes: [{ name: "v", ...volume }],
  },
});

test("validatePod accepts configMap, secret, downwardAPI and projected volumes", () => {
  const volumes: Any[] = [
    {
      configMap: {
        name: "c",
        items: [{ key: "k", path: "dir/k", mode: 0o400 }],
        defaultMode: 0o644,
        optional: true,
      },
    },
    { secret: { secretName: "s", defaultMode: 0o400 } },
    {
      downwardAPI: {
        items: [
          { path: "labels", fieldRef: { fieldPath: "metadata.labels" } },
          { path: "app", fieldRef: { fieldPath: "metadata.labels['app.kubernetes.io/name']" } },
          {
            path: "mem",
            resourceFieldRef: { containerName: "app", resource: "limits.memory", divisor: "1Mi" },
          },
        ],
      },
    },
    {
      projected: {
        defaultMode: 0o440,
        sources: [
          { configMap: { name: "c" } },
          { secret: { name: "s", items: [{ key: "k", path: "s" }] } },
          { downwardAPI: { items: [{ path: "name", fieldRef: { fieldPath: "metadata.name" } }] } },
        ],
      },
    },
  ];
  for (const v of volumes) assert.deepEqual(validatePod(podWith(v)), [], JSON.stringify(v));
});

const cases: [string, Any, string[]][] = [
  ["a configMap without a name", { configMap: {} }, ["spec.volumes[0].configMap.name: Required value"]],
  ["a secret without a secretName", { secret: { defaultMode: 0o400 } }, [
    "spec.volumes[0].secret.secretName: Required value",
  ]],
  ["a defaultMode over 0777", { configMap: { name: "c", defaultMode: 0o1777 } }, [
    "spec.volumes[0].configMap.defaultMode: Invalid value: 1023: must be a number between 0 and 0777 (octal), both inclusive",
  ]],
  ["a negative item mode", { secret: { secretName: "s", items: [{ key: "k", path: "k", mode: -1 }] } }, [
    "spec.volumes[0].secret.items[0].mode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive",
  ]],
  ["an item without key and path", { configMap: { name: "c", items: [{}] } }, [
    "spec.volumes[0].configMap.items[0].key: Required value",
    "spec.volumes[0].configMap.items[0].path: Required value",
  ]],
  ["an absolute item path", { configMap: { name: "c", items: [{ key: "k", path: "/etc/passwd" }] } }, [
    'spec.volumes[0].configMap.items[0].path: Invalid value: "/etc/passwd": must be a relative path',
  ]],
  ["an item path with ..", { configMap: { name: "c", items: [{ key: "k", path: "a/../../x" }] } }, [
    `spec.volumes[0].configMap.items[0].path: Invalid value: "a/../../x": must not contain '..'`,
  ]],
  ["an item path starting with ..", { secret: { secretName: "s", items: [{ key: "k", path: "..data" }] } }, [
    `spec.volumes[0].secret.items[0].path: Invalid value: "..data": must not start with '..'`,
  ]],
  ["two items with one path", {
    configMap: { name: "c", items: [{ key: "a", path: "x" }, { key: "b", path: "./x" }] },
  }, [
    'spec.volumes[0].configMap.items[1].path: Duplicate value: "./x"',
  ]],
  ["a downwardAPI file with an env-only field", {
    downwardAPI: { items: [{ path: "ip", fieldRef: { fieldPath: "status.podIP" } }] },
  }, [
    'spec.volumes[0].downwardAPI.items[0].fieldRef.fieldPath: Unsupported value: "status.podIP": supported values: ' +
    '"metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"',
  ]],
  ["a downwardAPI file with both refs", {
    downwardAPI: {
      items: [{
        path: "x",
        fieldRef: { fieldPath: "metadata.name" },
        resourceFieldRef: { containerName: "app", resource: "limits.cpu" },
      }],
    },
  }, [
    'spec.volumes[0].downwardAPI.items[0]: Invalid value: "resource": fieldRef and resourceFieldRef can not be specified simultaneously',
  ]],
  ["a downwardAPI file with neither ref", { downwardAPI: { items: [{ path: "x" }] } }, [
    "spec.volumes[0].downwardAPI.items[0]: Required value: one of fieldRef and resourceFieldRef is required",
  ]],
  ["a resourceFieldRef without containerName", {
    downwardAPI: { items: [{ path: "x", resourceFieldRef: { resource: "limits.cpu" } }] },
  }, ["spec.volumes[0].downwardAPI.items[0].resourceFieldRef.containerName: Required value"]],
  ["a resourceFieldRef with a bad divisor", {
    downwardAPI: {
      items: [{
        path: "x",
        resourceFieldRef: { containerName: "app", resource: "limits.cpu", divisor: "1Mi" },
      }],
    },
  }, [
    'spec.volumes[0].downwardAPI.items[0].resourceFieldRef.divisor: Invalid value: "1Mi": only divisor\'s values 1m and 1 are supported with the cpu resource',
  ]],
  ["a projected source with two types", {
    projected: { sources: [{ configMap: { name: "c" }, secret: { name: "s" } }] },
  }, [
    "spec.volumes[0].projected.sources[0]: Forbidden: may not specify more than 1 volume type",
  ]],
  ["a projected serviceAccountToken", { projected: { sources: [{ serviceAccountToken: { path: "t" } }] } }, [
    "spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: not supported by the standalone kubelet (there is no API server)",
  ]],
  ["two projected sources with one path", {
    projected: {
      sources: [
        { configMap: { name: "c", items: [{ key: "k", path: "f" }] } },
        { downwardAPI: { items: [{ path: "f", fieldRef: { fieldPath: "metadata.name" } }] } },
      ],
    },
  }, ['spec.volumes[0].projected: Invalid value: "f": conflicting duplicate paths']],
  ["a projected configMap without a name", { projected: { sources: [{ configMap: {} }] } }, [
    "spec.volumes[0].projected.sources[0].configMap.name: Required value",
  ]],
  ["an optional that is not a boolean", { configMap: { name: "c", optional: "yes" } }, [
    'spec.volumes[0].configMap.optional: Invalid value: "yes": must be a boolean',
  ]],
  ["items that are not a list", { secret: { secretName: "s", items: { key: "k" } } }, [
    'spec.volumes[0].secret.items: Invalid value: {"key":"k"}: must be a list',
  ]],
];

for (const [name, volume, want] of cases) {
  test(`validatePod refuses ${name}, naming the field`, () => {
    assert.deepEqual(validatePod(podWith(volume)), want);
  });
}

test("unknown fields of the volume sources are warned about", () => {
  const warnings = fieldWarningMessages(podWith({ configMap: { name: "c", itmes: [] } }) as Any);
  assert.ok(warnings.some((w) => w.includes("spec.volumes[0].configMap.itmes")), warnings.join("\n"));
});
