import { test } from "node:test";
import assert from "node:assert/strict";
import { validatePod } from "../../src/manifest/validate.ts";
import { sysctlNamespace } from "../../src/manifest/validate_security.ts";
import { podWith } from "./_pods.ts";

const cases: [string, Parameters<typeof podWith>, string[]][] = [
  ["accepts host namespaces and a full pod security context", [{
    hostNetwork: true,
    hostPID: true,
    hostIPC: true,
    securityContext: {
      runAsUser: 1000,
      runAsGroup: 1000,
      runAsNonRoot: true,
      supplementalGroups: [4, 5],
      fsGroup: 2000,
      seccompProfile: { type: "RuntimeDefault" },
    },
  }], []],
  ["accepts a full container security context", [{}, {
    securityContext: {
      privileged: false,
      runAsUser: 0,
      runAsNonRoot: false,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { add: ["NET_ADMIN"], drop: ["ALL"] },
      seccompProfile: { type: "Localhost", localhostProfile: "profiles/audit.json" },
    },
  }], []],
  ["rejects a non-boolean hostNetwork", [{ hostNetwork: "yes" }], [
    'spec.hostNetwork: Invalid value: "yes": must be a boolean',
  ]],
  ["rejects hostPID with shareProcessNamespace", [{ hostPID: true, shareProcessNamespace: true }], [
    "spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled",
  ]],
  ["rejects a negative or huge user ID", [{ securityContext: { runAsUser: -1 } }, {
    securityContext: { runAsGroup: 2 ** 31 },
  }], [
    "spec.containers[0].securityContext.runAsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive",
    "spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive",
  ]],
  ["rejects an unknown seccomp type", [{}, { securityContext: { seccompProfile: { type: "Default" } } }], [
    'spec.containers[0].securityContext.seccompProfile.type: Unsupported value: "Default": supported values: "Localhost", "RuntimeDefault", "Unconfined"',
  ]],
  ["requires localhostProfile for Localhost, and only there", [
    { securityContext: { seccompProfile: { type: "Localhost" } } },
    { securityContext: { seccompProfile: { type: "Unconfined", localhostProfile: "x.json" } } },
  ], [
    'spec.containers[0].securityContext.seccompProfile.localhostProfile: Invalid value: {"type":"Unconfined","localhostProfile":"x.json"}: can only be set when seccomp type is Localhost',
    "spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost",
  ]],
  ["rejects privileged without privilege escalation", [{}, {
    securityContext: { privileged: true, allowPrivilegeEscalation: false },
  }], [
    'spec.containers[0].securityContext: Invalid value: {"privileged":true,"allowPrivilegeEscalation":false}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
  ]],
  ["accepts namespaced sysctls", [{
    securityContext: {
      sysctls: [
        { name: "net.ipv4.ip_local_port_range", value: "1024 65000" },
        { name: "kernel.shm_rmid_forced", value: "1" },
        { name: "net/core/somaxconn", value: "1024" },
      ],
    },
  }], []],
  ["rejects sysctls that are not namespaced, malformed or repeated", [{
    securityContext: {
      sysctls: [
        { name: "vm.swappiness", value: "1" },
        { name: "Net.Bad", value: "1" },
        { name: "net.core.somaxconn", value: "1" },
        { name: "net.core.somaxconn", value: "2" },
      ],
    },
  }], [
    "spec.securityContext.sysctls[0].name: Forbidden: not a namespaced sysctl: a pod may set only net.*, kernel.shm*, kernel.msg*, kernel.sem and fs.mqueue.*",
    'spec.securityContext.sysctls[1].name: Invalid value: "Net.Bad": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$',
    'spec.securityContext.sysctls[3].name: Duplicate value: "net.core.somaxconn"',
  ]],
  ["rejects network sysctls with hostNetwork and IPC sysctls with hostIPC", [{
    hostNetwork: true,
    hostIPC: true,
    securityContext: {
      sysctls: [{ name: "net.core.somaxconn", value: "1" }, { name: "kernel.msgmax", value: "1" }],
    },
  }], [
    "spec.securityContext.sysctls[0].name: Invalid value: \"net.core.somaxconn\": may not be specified when 'hostNetwork' is true",
    "spec.securityContext.sysctls[1].name: Invalid value: \"kernel.msgmax\": may not be specified when 'hostIPC' is true",
  ]],
];

for (const [name, args, errors] of cases) {
  test(`validatePod ${name}`, () => {
    assert.deepEqual(validatePod(podWith(...args)), errors);
  });
}

test("sysctlNamespace knows the network and IPC sysctls, with dots or slashes", () => {
  assert.equal(sysctlNamespace("net.ipv4.tcp_syncookies"), "net");
  assert.equal(sysctlNamespace("net/ipv4/tcp_syncookies"), "net");
  assert.equal(sysctlNamespace("kernel.sem"), "ipc");
  assert.equal(sysctlNamespace("fs.mqueue.msg_max"), "ipc");
  assert.equal(sysctlNamespace("kernel.pid_max"), undefined);
});
