import { test } from "node:test";
import assert from "node:assert/strict";
import type { Container, Pod, PodSecurityContext, SecurityContext } from "../../src/api/types.ts";
import {
  effectiveSecurityContext,
  imageUser,
  securityConfig,
  verifyRunAsNonRoot,
} from "../../src/runtime/security_context.ts";

function podAndContainer(podSc?: PodSecurityContext, sc?: SecurityContext): [Pod, Container] {
  const container: Container = { name: "app", image: "busybox", securityContext: sc };
  const pod: Pod = {
    metadata: { name: "web-node1", namespace: "default", uid: "u1" },
    spec: { containers: [container], securityContext: podSc },
  };
  return [pod, container];
}

test("effectiveSecurityContext takes user, group, runAsNonRoot and seccomp from the pod unless the container sets them", () => {
  const [pod, c] = podAndContainer(
    { runAsUser: 1, runAsGroup: 2, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    { runAsUser: 10, privileged: true },
  );
  assert.deepEqual(effectiveSecurityContext(pod, c), {
    runAsUser: 10,
    runAsGroup: 2,
    runAsNonRoot: true,
    privileged: true,
    seccompProfile: { type: "RuntimeDefault" },
  });
});

for (
  const [user, parsed] of [
    ["", { uid: 0 }],
    [undefined, { uid: 0 }],
    ["1000", { uid: 1000 }],
    ["1000:50", { uid: 1000 }],
    ["nobody", { name: "nobody" }],
    ["www-data:www-data", { name: "www-data" }],
  ] as const
) {
  test(`imageUser reads image user ${JSON.stringify(user)}`, () => {
    assert.deepEqual(imageUser(user), parsed);
  });
}

const refusals: [
  string,
  PodSecurityContext | undefined,
  SecurityContext | undefined,
  string | undefined,
  string | undefined,
][] = [
  ["allows anything without runAsNonRoot", undefined, undefined, "", undefined],
  ["allows root when runAsNonRoot is false", undefined, { runAsNonRoot: false }, "", undefined],
  [
    "refuses an image that runs as root",
    { runAsNonRoot: true },
    undefined,
    "",
    'container has runAsNonRoot and image will run as root (pod: "web-node1_default(u1)", container: app)',
  ],
  [
    "refuses an image whose user is UID 0",
    undefined,
    { runAsNonRoot: true },
    "0:0",
    'container has runAsNonRoot and image will run as root (pod: "web-node1_default(u1)", container: app)',
  ],
  [
    "refuses runAsUser 0",
    { runAsNonRoot: true },
    { runAsUser: 0 },
    "1000",
    `container's runAsUser breaks non-root policy (pod: "web-node1_default(u1)", container: app)`,
  ],
  [
    "refuses a user name it cannot check",
    { runAsNonRoot: true },
    undefined,
    "nobody",
    'container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root (pod: "web-node1_default(u1)", container: app)',
  ],
  [
    "allows a non-root runAsUser over a root image",
    { runAsNonRoot: true, runAsUser: 65534 },
    undefined,
    "",
    undefined,
  ],
  ["allows an image with a non-root UID", undefined, { runAsNonRoot: true }, "1000", undefined],
];
for (const [name, podSc, sc, user, message] of refusals) {
  test(`verifyRunAsNonRoot ${name}`, () => {
    const [pod, c] = podAndContainer(podSc, sc);
    assert.equal(verifyRunAsNonRoot(pod, c, user), message);
  });
}

test("securityConfig runs a container without a profile unconfined, as the kubelet's default", () => {
  const [pod, c] = podAndContainer();
  assert.deepEqual(securityConfig(pod, c, ""), { SecurityOpt: ["seccomp=unconfined"] });
});

test("securityConfig maps every field of the security context to the Engine's", () => {
  const [pod, c] = podAndContainer(
    {
      runAsUser: 1000,
      runAsGroup: 3000,
      supplementalGroups: [4000, 5000],
      fsGroup: 2000,
      seccompProfile: { type: "RuntimeDefault" },
    },
    {
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { add: ["NET_ADMIN"], drop: ["ALL"] },
    },
  );
  assert.deepEqual(securityConfig(pod, c, ""), {
    User: "1000:3000",
    GroupAdd: ["2000", "4000", "5000"],
    ReadonlyRootfs: true,
    CapAdd: ["NET_ADMIN"],
    CapDrop: ["ALL"],
    SecurityOpt: ["no-new-privileges"],
  });
});

test("securityConfig keeps the image's user for a runAsGroup without runAsUser", () => {
  const [pod, c] = podAndContainer(undefined, { runAsGroup: 50 });
  assert.equal(securityConfig(pod, c, "nginx:nginx").User, "nginx:50");
  assert.equal(securityConfig(pod, c, "").User, "0:50");
});

test("securityConfig makes a privileged container privileged, without a seccomp option", () => {
  const [pod, c] = podAndContainer(undefined, { privileged: true, seccompProfile: { type: "Unconfined" } });
  assert.deepEqual(securityConfig(pod, c, ""), { Privileged: true, SecurityOpt: [] });
});

test("securityConfig passes a Localhost profile's JSON and the container's Unconfined over the pod's RuntimeDefault", () => {
  const [pod, c] = podAndContainer({ seccompProfile: { type: "RuntimeDefault" } }, {
    seccompProfile: { type: "Localhost", localhostProfile: "a.json" },
  });
  assert.deepEqual(securityConfig(pod, c, "", '{"defaultAction":"SCMP_ACT_LOG"}').SecurityOpt, [
    'seccomp={"defaultAction":"SCMP_ACT_LOG"}',
  ]);
  const [pod2, c2] = podAndContainer({ seccompProfile: { type: "RuntimeDefault" } }, {
    seccompProfile: { type: "Unconfined" },
  });
  assert.deepEqual(securityConfig(pod2, c2, "").SecurityOpt, ["seccomp=unconfined"]);
});
