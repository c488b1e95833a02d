import { test } from "node:test";
import assert from "node:assert/strict";
import { validatePod } from "../../src/manifest/validate.ts";
import { podWith } from "./_pods.ts";

const env = (valueFrom: Record<string, unknown>, value?: string) => ({
  env: [{ name: "E", value, valueFrom }],
});

const cases: [string, Parameters<typeof podWith>, string[]][] = [
  ["accepts quantities in every Kubernetes form", [{}, {
    resources: {
      limits: { cpu: "0.5", memory: "128Mi", "ephemeral-storage": "1G" },
      requests: { cpu: "100m", memory: 1e3 },
    },
  }], []],
  ["accepts exponents, hugepages and extended resources", [{}, {
    resources: { limits: { cpu: "1e3", "hugepages-2Mi": "4Mi", "example.com/gpu": 1 } },
  }], []],
  ["rejects a quantity that does not parse", [{}, { resources: { limits: { memory: "lots" } } }], [
    `spec.containers[0].resources.limits[memory]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  ]],
  ["rejects a negative quantity and an unknown resource name", [{}, {
    resources: { requests: { cpu: "-1", cpus: "1" } },
  }], [
    'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0',
    'spec.containers[0].resources.requests[cpus]: Invalid value: "cpus": must be a standard resource for containers',
  ]],
  ["accepts requests equal to their limits (a Guaranteed pod)", [{}, {
    resources: { limits: { cpu: "500m", memory: "64Mi" }, requests: { cpu: "0.5", memory: "64Mi" } },
  }], []],
  ["rejects a request above its limit", [{}, {
    resources: { limits: { cpu: "500m" }, requests: { cpu: "1" } },
  }], [
    'spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m',
  ]],
  ["accepts every env field path, labels and annotations by key", [{}, {
    env: [
      ...[
        "metadata.name",
        "metadata.namespace",
        "metadata.uid",
        "spec.nodeName",
        "spec.serviceAccountName",
        "status.podIP",
        "status.podIPs",
        "status.hostIP",
        "status.hostIPs",
        "metadata.labels['app']",
        "metadata.annotations['example.com/x']",
      ]
        .map((fieldPath, i) => ({ name: `E${i}`, valueFrom: { fieldRef: { fieldPath } } })),
    ],
  }], []],
  ["rejects an env field path it cannot resolve", [{}, env({ fieldRef: { fieldPath: "metadata.labels" } })], [
    'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.labels": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
  ]],
  ["rejects a valueFrom with two sources, or beside a value", [
    {},
    env({ fieldRef: { fieldPath: "metadata.name" }, resourceFieldRef: { resource: "limits.cpu" } }, "x"),
  ], [
    'spec.containers[0].env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time',
    'spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
  ]],
  ["accepts resourceFieldRefs with their divisors", [{}, {
    env: [
      { name: "A", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "1m" } } },
      {
        name: "B",
        valueFrom: { resourceFieldRef: { resource: "requests.memory", divisor: "1Mi", containerName: "c" } },
      },
    ],
  }], []],
  ["rejects an unknown resource and a divisor that does not fit", [{}, {
    env: [
      { name: "A", valueFrom: { resourceFieldRef: { resource: "limits.gpu" } } },
      { name: "B", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "2" } } },
      { name: "C", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1m" } } },
    ],
  }], [
    'spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"',
    `spec.containers[0].env[1].valueFrom.resourceFieldRef.divisor: Invalid value: "2": only divisor's values 1m and 1 are supported with the cpu resource`,
    `spec.containers[0].env[2].valueFrom.resourceFieldRef.divisor: Invalid value: "1m": only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource`,
  ]],
];

for (const [name, args, errors] of cases) {
  test(`validatePod ${name}`, () => {
    assert.deepEqual(validatePod(podWith(...args)), errors);
  });
}
