/**
 * Edges of validation that a one-line change would move (scripts/mutate.ts):
 * each good pod here is one a wrong bound would refuse, each bad one a pod a
 * missing check would let through.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validatePod } from "../../src/manifest/validate.ts";
import { podWith } from "./_pods.ts";

const mount = (mountPath: string) => ({ name: "v", mountPath });
const volumes = [{ name: "v", emptyDir: {} }];

const cases: [string, ReturnType<typeof podWith>, (string | RegExp)[]][] = [
  [
    "a hostPort other than the containerPort without hostNetwork",
    podWith({}, { ports: [{ containerPort: 80, hostPort: 8080 }] }),
    [],
  ],
  [
    "a hostPort other than the containerPort with hostNetwork",
    podWith({ hostNetwork: true }, { ports: [{ containerPort: 80, hostPort: 8080 }] }),
    ["spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"],
  ],
  [
    "two mounts at one path",
    podWith({ volumes }, { volumeMounts: [mount("/data"), mount("/data")] }),
    ['spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique'],
  ],
  [
    "a startup probe that needs two successes",
    podWith({}, { startupProbe: { exec: { command: ["true"] }, successThreshold: 2 } }),
    ["spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1"],
  ],
  [
    "a readiness probe that needs two successes",
    podWith({}, { readinessProbe: { exec: { command: ["true"] }, successThreshold: 2 } }),
    [],
  ],
  [
    "an init container with restartPolicy OnFailure",
    podWith({ initContainers: [{ name: "i", image: "busybox", restartPolicy: "OnFailure" }] }),
    ['spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
  ],
  [
    "a net sysctl with hostIPC",
    podWith({ hostIPC: true, securityContext: { sysctls: [{ name: "net.core.somaxconn", value: "1024" }] } }),
    [],
  ],
  [
    "a net sysctl with hostNetwork",
    podWith({
      hostNetwork: true,
      securityContext: { sysctls: [{ name: "net.core.somaxconn", value: "1" }] },
    }),
    [
      "spec.securityContext.sysctls[0].name: Invalid value: \"net.core.somaxconn\": may not be specified when 'hostNetwork' is true",
    ],
  ],
  [
    "a privileged container that leaves allowPrivilegeEscalation unset",
    podWith({}, { securityContext: { privileged: true } }),
    [],
  ],
  [
    "a Localhost seccomp profile with '..' inside its path",
    podWith({
      securityContext: { seccompProfile: { type: "Localhost", localhostProfile: "profiles/../x.json" } },
    }),
    [
      "spec.securityContext.seccompProfile.localhostProfile: Invalid value: \"profiles/../x.json\": must be a relative path without '..'",
    ],
  ],
  [
    "three nameservers",
    podWith({ dnsPolicy: "None", dnsConfig: { nameservers: ["10.0.0.1", "10.0.0.2", "10.0.0.3"] } }),
    [],
  ],
  [
    "four nameservers",
    podWith({
      dnsPolicy: "None",
      dnsConfig: { nameservers: ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"] },
    }),
    [
      'spec.dnsConfig.nameservers: Invalid value: ["10.0.0.1","10.0.0.2","10.0.0.3","10.0.0.4"]: must not have more than 3 nameservers',
    ],
  ],
  [
    "a limit and a request of zero",
    podWith({}, { resources: { limits: { cpu: "0", memory: "0" }, requests: { cpu: "0" } } }),
    [],
  ],
  [
    "an image name of 256 characters",
    podWith({}, { image: `${"a".repeat(256)}:1` }),
    [/^spec\.containers\[0\]\.image: Invalid value: "a+\.\.\.: InvalidImageName: .*invalid reference format$/],
  ],
  ["an image name of 255 characters", podWith({}, { image: `${"a".repeat(255)}:1` }), []],
];

for (const [name, pod, expected] of cases) {
  test(`validatePod on ${name}: ${expected.length ? "refused" : "accepted"}`, () => {
    const errs = validatePod(pod);
    assert.equal(errs.length, expected.length, errs.join("\n"));
    expected.forEach((e, i) => typeof e === "string" ? assert.equal(errs[i], e) : assert.match(errs[i], e));
  });
}
