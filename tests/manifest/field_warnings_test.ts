import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { decodeManifest } from "../../src/manifest/decode.ts";
import {
  fieldWarningMessages,
  findFieldWarnings,
  formatFieldWarnings,
  withoutUnknownFields,
} from "../../src/manifest/field_warnings.ts";

const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: "a" }) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata,
  spec: { containers: [{ name: "c", image: "busybox" }], ...spec },
});

test("findFieldWarnings finds nothing in a pod that uses only fields the kubelet acts on", () => {
  const p = pod({
    hostNetwork: true,
    securityContext: { runAsUser: 1000, sysctls: [{ name: "net.core.somaxconn", value: "1024" }] },
    containers: [{
      name: "c",
      image: "busybox",
      env: [{ name: "N", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
      resources: { limits: { cpu: "1", memory: "1Gi" } },
      securityContext: { capabilities: { add: ["NET_ADMIN"] }, seccompProfile: { type: "RuntimeDefault" } },
    }],
  });
  assert.deepEqual(findFieldWarnings(p), { ignored: [], unknown: [] });
});

test("findFieldWarnings lists the fields it accepts but ignores, with their paths", () => {
  const p = pod({
    nodeSelector: { disk: "ssd" },
    tolerations: [{ operator: "Exists" }],
    priorityClassName: "system-node-critical",
    serviceAccountName: "default",
    containers: [{
      name: "c",
      image: "busybox",
      resizePolicy: [],
      securityContext: { procMount: "Default" },
    }],
  });
  // In the manifest's order: pod() puts containers first.
  assert.deepEqual(findFieldWarnings(p).ignored, [
    "spec.containers[0].resizePolicy",
    "spec.containers[0].securityContext.procMount",
    "spec.nodeSelector",
    "spec.tolerations",
    "spec.priorityClassName",
    "spec.serviceAccountName",
  ]);
});

test("findFieldWarnings names a misspelled field and the field it was probably meant to be", () => {
  const p = { ...pod({}), spec: { contianers: [{ name: "c", image: "x", imagePullPolicyy: "Never" }] } };
  assert.deepEqual(findFieldWarnings(p).unknown, [{
    path: "spec.contianers",
    hint: 'did you mean "containers"?',
  }]);
  const q = pod({ hostnetwork: true, containers: [{ name: "c", image: "x", comand: ["sh"] }] });
  assert.deepEqual(findFieldWarnings(q).unknown, [
    { path: "spec.containers[0].comand", hint: 'did you mean "command"?' },
    { path: "spec.hostnetwork", hint: 'did you mean "hostNetwork"?' },
  ]);
});

test("findFieldWarnings says where a misplaced field belongs", () => {
  const p = pod({ containers: [{ name: "c", image: "x", hostNetwork: true }] }, {
    name: "a",
    restartPolicy: "Never",
  });
  assert.deepEqual(findFieldWarnings(p).unknown, [
    { path: "metadata.restartPolicy", hint: "restartPolicy is a field of spec" },
    { path: "spec.containers[0].hostNetwork", hint: "hostNetwork is a field of spec" },
  ]);
  const top = { apiVersion: "v1", kind: "Pod", metadata: { name: "a" }, containers: [] };
  assert.deepEqual(findFieldWarnings(top).unknown, [{
    path: "containers",
    hint: "containers is a field of spec",
  }]);
});

test("findFieldWarnings leaves a field it cannot guess without a hint", () => {
  assert.deepEqual(findFieldWarnings(pod({ frobnicate: 1 })).unknown, [{
    path: "spec.frobnicate",
    hint: undefined,
  }]);
});

test("findFieldWarnings skips output-only fields and values of the wrong type", () => {
  const p = { ...pod({ containers: "not a list" }), status: { phase: "Running" } };
  (p.metadata as Record<string, unknown>).creationTimestamp = null;
  assert.deepEqual(findFieldWarnings(p), { ignored: [], unknown: [] });
});

test("formatFieldWarnings gives one message for unknown fields and one for ignored ones", () => {
  assert.deepEqual(formatFieldWarnings({ ignored: [], unknown: [] }), []);
  assert.deepEqual(
    formatFieldWarnings({
      ignored: ["spec.nodeSelector", "spec.tolerations"],
      unknown: [{ path: "spec.contianers", hint: 'did you mean "containers"?' }, { path: "spec.x" }],
    }),
    [
      'unknown fields "spec.contianers" (did you mean "containers"?), "spec.x": not used',
      "fields accepted but not acted on by the standalone kubelet: spec.nodeSelector, spec.tolerations",
    ],
  );
});

for (const name of ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"]) {
  test(`findFieldWarnings finds only priority and priorityClassName ignored in kubeadm's ${name}.yaml`, () => {
    const text = readFileSync(new URL(`../testdata/kubeadm/${name}.yaml`, import.meta.url), "utf8");
    const [doc] = decodeManifest(text);
    assert.deepEqual(findFieldWarnings(doc.pod), {
      ignored: ["spec.priority", "spec.priorityClassName"],
      unknown: [],
    });
  });
}

test("fieldWarningMessages gives one field.path: problem message per field, for kubelet validate", () => {
  const p = { ...pod({ nodeSelector: { disk: "ssd" } }), spec: { contianers: [], nodeSelector: {} } };
  assert.deepEqual(fieldWarningMessages(p), [
    'spec.contianers: unknown field (did you mean "containers"?)',
    "spec.nodeSelector: accepted but not acted on by the standalone kubelet",
  ]);
});

test("withoutUnknownFields drops unknown fields at every depth and keeps known and ignored ones", () => {
  const p = {
    ...pod({
      nodeSelector: { disk: "ssd" },
      frobnicate: 1,
      containers: [{ name: "c", image: "x", comand: ["sh"], env: [{ name: "A", value: "1", vaule: "2" }] }],
    }),
    status: { phase: "Running" },
  };
  (p.metadata as Record<string, unknown>).restartPolicy = "Never";
  const stripped = withoutUnknownFields(p);
  assert.deepEqual(stripped, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "a" },
    spec: {
      containers: [{ name: "c", image: "x", env: [{ name: "A", value: "1" }] }],
      nodeSelector: { disk: "ssd" },
    },
    status: { phase: "Running" },
  });
  assert.equal((p.metadata as Record<string, unknown>).restartPolicy, "Never", "the argument is not changed");
});
