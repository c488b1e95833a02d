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
import { POD_SCHEMA, TYPE_PATHS } from "../../src/manifest/known_fields.ts";

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

/** Optimal string alignment distance, the whole table: what the hints must agree with. */
function referenceDistance(a: string, b: string): number {
  const d = Array.from(
    { length: a.length + 1 },
    (_, i) => Array.from({ length: b.length + 1 }, (_, j) => i || j),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** The hint for an unknown `key` of a PodSpec, as the full table computes it. */
function referenceHint(key: string): string | undefined {
  let best: string | undefined, bestDistance = Infinity;
  for (const name of Object.keys(POD_SCHEMA.PodSpec)) {
    const d = referenceDistance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  if (bestDistance <= (key.length <= 4 ? 1 : 2)) return `did you mean "${best}"?`;
  for (const [type, where] of Object.entries(TYPE_PATHS)) {
    if (type !== "PodSpec" && Object.hasOwn(POD_SCHEMA[type], key)) {
      return where ? `${key} is a field of ${where}` : `${key} belongs at the top level`;
    }
  }
  return undefined;
}

test("findFieldWarnings hints as the whole edit-distance table does, for misspellings of one to three edits", () => {
  // A fixed pseudo-random sequence: the same keys on every run.
  let seed = 7;
  const next = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
  const names = Object.keys(POD_SCHEMA.PodSpec);
  const keys = new Set<string>();
  while (keys.size < 400) {
    let key = names[next(names.length)];
    for (let edits = 1 + next(3); edits > 0; edits--) {
      const at = next(key.length + 1), letter = "aeiostxQ"[next(8)];
      const kind = next(4);
      if (kind === 0) key = key.slice(0, at) + letter + key.slice(at);
      else if (kind === 1) key = key.slice(0, at) + key.slice(at + 1);
      else if (kind === 2) key = key.slice(0, at) + letter + key.slice(at + 1);
      else if (at + 1 < key.length) key = key.slice(0, at) + key[at + 1] + key[at] + key.slice(at + 2);
    }
    if (key && !Object.hasOwn(POD_SCHEMA.PodSpec, key)) keys.add(key);
  }
  // In pods of 40 keys: only the first 50 different keys of a pod get a hint.
  const all = [...keys];
  const found = Array.from({ length: all.length / 40 }, (_, i) => all.slice(i * 40, i * 40 + 40))
    .flatMap((some) => findFieldWarnings(pod(Object.fromEntries(some.map((k) => [k, 1])))).unknown);
  assert.equal(found.length, keys.size);
  assert.ok(found.some((f) => f.hint?.startsWith("did you mean")), "some keys are close enough for a hint");
  assert.ok(found.some((f) => f.hint === undefined), "some are not");
  for (const { path, hint } of found) assert.equal(hint, referenceHint(path.slice("spec.".length)), path);
});

test("findFieldWarnings hints the first 50 different unknown keys of a pod, and names all of them", () => {
  const found = findFieldWarnings(
    pod(Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`hostnetwork${i}`, 1]))),
  );
  assert.equal(found.unknown.length, 60);
  assert.deepEqual(found.unknown.filter((f) => f.hint).length, 50);
  assert.deepEqual(found.unknown[0], { path: "spec.hostnetwork0", hint: 'did you mean "hostNetwork"?' });
  assert.deepEqual(found.unknown[59], { path: "spec.hostnetwork59", hint: undefined });
});

test("findFieldWarnings gives no hint for a key far longer than any field, and the same hint to each copy of a misspelling", () => {
  assert.deepEqual(findFieldWarnings(pod({ ["containers".repeat(10_000)]: 1 })).unknown, [{
    path: `spec.${"containers".repeat(10_000)}`,
    hint: undefined,
  }]);
  const containers = Array.from({ length: 3 }, (_, i) => ({ name: `c${i}`, image: "x", comand: ["sh"] }));
  assert.deepEqual(
    findFieldWarnings(pod({ containers })).unknown,
    [0, 1, 2].map((i) => ({
      path: `spec.containers[${i}].comand`,
      hint: 'did you mean "command"?',
    })),
  );
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
