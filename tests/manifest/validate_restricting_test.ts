import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { validatePod } from "../../src/manifest/validate.ts";
import { podWith } from "./_pods.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const C = "spec.containers[0]";
const VOLUME = { volumes: [{ name: "v", emptyDir: {} }] };

describe("validatePod refuses a field that restricts and cannot be honoured", () => {
  const cases: [string, Record<string, Any>, Record<string, Any>, string][] = [
    [
      "subPathExpr",
      VOLUME,
      { volumeMounts: [{ name: "v", mountPath: "/v", subPathExpr: "$(POD)" }] },
      `${C}.volumeMounts[0].subPathExpr: Forbidden:`,
    ],
    [
      "hostUsers: false",
      { hostUsers: false },
      {},
      "spec.hostUsers: Forbidden: user namespaces are not supported",
    ],
    ["a runtimeClassName", { runtimeClassName: "gvisor" }, {}, "spec.runtimeClassName: Forbidden:"],
    [
      "pod seLinuxOptions",
      { securityContext: { seLinuxOptions: { level: "s0:c1" } } },
      {},
      "spec.securityContext.seLinuxOptions: Forbidden:",
    ],
    [
      "container seLinuxOptions",
      {},
      { securityContext: { seLinuxOptions: { type: "spc_t" } } },
      `${C}.securityContext.seLinuxOptions: Forbidden:`,
    ],
    ["a Localhost AppArmor profile", {}, {
      securityContext: { appArmorProfile: { type: "Localhost", localhostProfile: "p" } },
    }, `${C}.securityContext.appArmorProfile: Forbidden:`],
    ["recursiveReadOnly: Enabled", VOLUME, {
      volumeMounts: [{ name: "v", mountPath: "/v", readOnly: true, recursiveReadOnly: "Enabled" }],
    }, `${C}.volumeMounts[0].recursiveReadOnly: Forbidden:`],
    [
      "supplementalGroupsPolicy: Strict",
      { securityContext: { supplementalGroupsPolicy: "Strict" } },
      {},
      "spec.securityContext.supplementalGroupsPolicy: Forbidden:",
    ],
    [
      "pod-level resource limits",
      { resources: { limits: { memory: "1Gi" } } },
      {},
      "spec.resources: Forbidden:",
    ],
    ["a windows pod", { os: { name: "windows" } }, {}, "spec.os.name: Forbidden:"],
  ];
  for (const [name, spec, container, prefix] of cases) {
    test(`refuses ${name}, naming the field`, () => {
      const errs = validatePod(podWith(spec, container));
      assert.ok(errs.some((e) => e.startsWith(prefix)), `${errs.join("\n")}\nhas no ${prefix}`);
    });
  }

  test("accepts the values that restrict nothing or are what Docker does anyway", () => {
    const pod = podWith({
      ...VOLUME,
      hostUsers: true,
      runtimeClassName: "",
      os: { name: "linux" },
      securityContext: { seLinuxOptions: {}, supplementalGroupsPolicy: "Merge" },
    }, {
      volumeMounts: [{ name: "v", mountPath: "/v", readOnly: true, recursiveReadOnly: "IfPossible" }],
      securityContext: { appArmorProfile: { type: "RuntimeDefault" }, procMount: "Default" },
    });
    assert.deepEqual(validatePod(pod), []);
  });
});
