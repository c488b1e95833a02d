/**
 * The control-plane manifests kubeadm writes (tests/testdata/kubeadm) decode,
 * default and validate without a problem, and translate into the Engine
 * settings the kubelet would give them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { decodeManifest } from "../../src/manifest/decode.ts";
import { applyDefaults } from "../../src/manifest/defaults.ts";
import { validatePod } from "../../src/manifest/validate.ts";
import { linuxResources } from "../../src/runtime/resources.ts";
import { securityConfig } from "../../src/runtime/security_context.ts";
import { buildSandboxConfig } from "../../src/runtime/container_config.ts";

const expected: Record<string, { shares: number; memory?: number; volumes: number; image: string }> = {
  "etcd": { shares: 102, volumes: 2, image: "registry.k8s.io/etcd:3.5.12-0" },
  "kube-apiserver": { shares: 256, volumes: 5, image: "registry.k8s.io/kube-apiserver:v1.30.4" },
  "kube-controller-manager": {
    shares: 204,
    volumes: 7,
    image: "registry.k8s.io/kube-controller-manager:v1.30.4",
  },
  "kube-scheduler": { shares: 102, volumes: 1, image: "registry.k8s.io/kube-scheduler:v1.30.4" },
};

for (const [name, want] of Object.entries(expected)) {
  test(`kubeadm's ${name}.yaml decodes and validates, and maps to host networking, RuntimeDefault seccomp and ${want.shares} CPU shares`, () => {
    const text = readFileSync(new URL(`../testdata/kubeadm/${name}.yaml`, import.meta.url), "utf8");
    const docs = decodeManifest(text);
    assert.equal(docs.length, 1);
    assert.equal(docs[0].error, undefined);
    const pod = applyDefaults(docs[0].pod!);
    assert.deepEqual(validatePod(pod), []);
    assert.equal(pod.metadata.namespace, "kube-system");
    assert.equal(pod.spec.volumes?.length, want.volumes);
    const [container] = pod.spec.containers;
    assert.equal(container.image, want.image);
    assert.equal(container.imagePullPolicy, "IfNotPresent");

    const sandbox = buildSandboxConfig(pod, "pause", {});
    assert.equal(sandbox.HostConfig.NetworkMode, "host");
    assert.equal(sandbox.HostConfig.UTSMode, "host");
    // RuntimeDefault is the Engine's own default profile: no option needed.
    assert.equal(sandbox.HostConfig.SecurityOpt, undefined);
    assert.deepEqual(securityConfig(pod, container, ""), { SecurityOpt: [] });
    assert.deepEqual(linuxResources(container), { CpuShares: want.shares });
  });
}
