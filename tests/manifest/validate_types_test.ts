import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { validatePod } from "../../src/manifest/validate.ts";
import { validateTypes } from "../../src/manifest/validate_types.ts";
import { podWith } from "./_pods.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const C = "spec.containers[0]";
const INT32 = "must be between -2147483648 and 2147483647, inclusive";

describe("validatePod refuses values of the wrong type or out of range", () => {
  const cases: [string, Record<string, Any>, Record<string, Any>, string][] = [
    ["a readOnly given as a string", { volumes: [{ name: "v", emptyDir: {} }] }, {
      volumeMounts: [{ name: "v", mountPath: "/v", readOnly: "true" }],
    }, `${C}.volumeMounts[0].readOnly: Invalid value: "true": must be a boolean`],
    ["stdin as a string", {}, { stdin: "yes" }, `${C}.stdin: Invalid value: "yes": must be a boolean`],
    ["tty as a number", {}, { tty: 1 }, `${C}.tty: Invalid value: 1: must be a boolean`],
    [
      "exec.command as a string",
      {},
      { livenessProbe: { exec: { command: "true" } } },
      `${C}.livenessProbe.exec.command: Invalid value: "true": must be a list`,
    ],
    [
      "a command item as a number",
      {},
      { command: ["sh", 1] },
      `${C}.command[1]: Invalid value: 1: must be a string`,
    ],
    [
      "a hostIP as a number",
      {},
      { ports: [{ containerPort: 80, hostIP: 5 }] },
      `${C}.ports[0].hostIP: Invalid value: 5: must be a string`,
    ],
    [
      "an httpGet path as a list",
      {},
      { readinessProbe: { httpGet: { port: 80, path: ["/"] } } },
      `${C}.readinessProbe.httpGet.path: Invalid value: ["/"]: must be a string`,
    ],
    [
      "an httpGet port as a fraction",
      {},
      { readinessProbe: { httpGet: { port: 1.5 } } },
      `${C}.readinessProbe.httpGet.port: Invalid value: 1.5: must be an integer or a string`,
    ],
    [
      "a priority beyond int32",
      { priority: 2 ** 31 },
      {},
      `spec.priority: Invalid value: 2147483648: ${INT32}`,
    ],
    [
      "a priority as a string",
      { priority: "high" },
      {},
      `spec.priority: Invalid value: "high": must be an integer`,
    ],
    [
      "hostUsers as a string",
      { hostUsers: "false" },
      {},
      `spec.hostUsers: Invalid value: "false": must be a boolean`,
    ],
    ["a probe timeout beyond int32", {}, {
      livenessProbe: { exec: { command: ["true"] }, timeoutSeconds: 10_000_000_000_000 },
    }, `${C}.livenessProbe.timeoutSeconds: Invalid value: 10000000000000: ${INT32}`],
    [
      "a negative probe period",
      {},
      { livenessProbe: { exec: { command: ["true"] }, periodSeconds: -1 } },
      `${C}.livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0`,
    ],
    [
      "a probe grace period of 0",
      {},
      { livenessProbe: { exec: { command: ["true"] }, terminationGracePeriodSeconds: 0 } },
      `${C}.livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than or equal to 1`,
    ],
    [
      "a grace period beyond a safe int64",
      { terminationGracePeriodSeconds: 2 ** 60 },
      {},
      "spec.terminationGracePeriodSeconds: Invalid value: 1152921504606847000: must be between -9007199254740991 and 9007199254740991, inclusive",
    ],
    [
      "a negative grace period",
      { terminationGracePeriodSeconds: -1 },
      {},
      "spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0",
    ],
    [
      "a container port beyond 65535",
      {},
      { ports: [{ containerPort: 70000 }] },
      `${C}.ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive`,
    ],
    [
      "a sleep of negative seconds",
      {},
      { lifecycle: { preStop: { sleep: { seconds: -5 } } } },
      `${C}.lifecycle.preStop.sleep.seconds: Invalid value: -5: must be greater than or equal to 0`,
    ],
    [
      "a memory limit of 1e400",
      {},
      { resources: { limits: { memory: "1e400" } } },
      `${C}.resources.limits[memory]: Invalid value: "1e400": must be no more than 9223372036854775807 in magnitude`,
    ],
    [
      // A regular expression that can split the digits many ways took minutes to refuse this.
      "a memory limit of 100,000 digits and a letter",
      {},
      { resources: { limits: { memory: `${"1".repeat(100_000)}x` } } },
      `${C}.resources.limits[memory]: Invalid value: "${
        "1".repeat(76)
      }...: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    ],
    [
      "an emptyDir sizeLimit that is no quantity",
      { volumes: [{ name: "v", emptyDir: { sizeLimit: "big" } }] },
      {},
      `spec.volumes[0].emptyDir.sizeLimit: Invalid value: "big": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    ],
    [
      "a negative emptyDir sizeLimit",
      { volumes: [{ name: "v", emptyDir: { sizeLimit: "-1Gi" } }] },
      {},
      `spec.volumes[0].emptyDir.sizeLimit: Invalid value: "-1Gi": must be greater than or equal to 0`,
    ],
    ["a label value as a number", {}, {}, "metadata.labels[app]: Invalid value: 1: must be a string"],
    [
      "a toleration's seconds as a string",
      { tolerations: [{ key: "k", tolerationSeconds: "5" }] },
      {},
      `spec.tolerations[0].tolerationSeconds: Invalid value: "5": must be an integer`,
    ],
    [
      "a nodeSelector as a list",
      { nodeSelector: ["a"] },
      {},
      `spec.nodeSelector: Invalid value: ["a"]: must be an object`,
    ],
  ];
  for (const [name, spec, container, error] of cases) {
    test(`refuses ${name}`, () => {
      const pod = podWith(spec, container) as Any;
      if (name.startsWith("a label")) pod.metadata.labels = { app: 1 };
      assert.ok(
        validatePod(pod).includes(error),
        `${validatePod(pod).join("\n")}\ndoes not include\n${error}`,
      );
    });
  }

  test("reports each wrong type once, though two checks see it", () => {
    const errs = validatePod(podWith({}, { stdin: "yes", ports: [{ containerPort: "80" }] }));
    assert.deepEqual(
      errs,
      [
        `${C}.stdin: Invalid value: "yes": must be a boolean`,
        `${C}.ports[0].containerPort: Invalid value: "80": must be an integer`,
      ].sort((a, b) => errs.indexOf(a) - errs.indexOf(b)),
    );
  });

  test("accepts right types at the edges of their ranges, and null as absent", () => {
    const pod = podWith({ priority: -(2 ** 31), terminationGracePeriodSeconds: 0, nodeSelector: null }, {
      ports: [{ containerPort: 65535 }],
      livenessProbe: { exec: { command: ["true"] }, periodSeconds: 2 ** 31 - 1 },
      resources: { limits: { memory: "8Ei", cpu: 2 } },
      readinessProbe: { httpGet: { port: "http" } },
    });
    assert.deepEqual(validatePod(pod), []);
  });

  test("validateTypes leaves unknown fields alone: they are dropped, with a warning", () => {
    const errs: string[] = [];
    validateTypes({ spec: { contianers: 5, containers: [{ imagePolicy: 1 }] } }, errs);
    assert.deepEqual(errs, []);
  });
});
