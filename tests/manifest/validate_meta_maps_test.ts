import { test } from "node:test";
import assert from "node:assert/strict";
import { validatePod } from "../../src/manifest/validate.ts";
import { applyDefaults } from "../../src/manifest/defaults.ts";
import type { Pod } from "../../src/api/types.ts";

const pod = (metadata: Record<string, unknown>): Pod =>
  applyDefaults({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", ...metadata },
    spec: { containers: [{ name: "c", image: "busybox" }] },
  } as Pod);

test("labels and annotations the API server accepts pass", () => {
  assert.deepEqual(
    validatePod(pod({
      labels: { app: "web", "app.kubernetes.io/name": "x_y.z-1", tier: "", "k8s-app": "A".repeat(63) },
      annotations: { "kubernetes.io/description": "any text: spaces, / and : too", "Example.COM/Key": "" },
    })),
    [],
  );
});

test("a label value longer than 63 characters or with other characters is refused, quoted shortened", () => {
  const long = validatePod(pod({ labels: { app: "a".repeat(1024 * 1024) } }));
  assert.equal(long.length, 1);
  assert.match(
    long[0],
    /^metadata\.labels: Invalid value: "a{76}\.\.\.: must be no more than 63 characters$/,
  );
  assert.match(
    validatePod(pod({ labels: { app: "web server" } }))[0],
    /metadata\.labels: Invalid value: "web server": a valid label must be an empty string/,
  );
  assert.match(validatePod(pod({ labels: { app: "-web" } }))[0], /a valid label must be an empty string/);
});

test("label and annotation keys must be qualified names", () => {
  const cases: [string, RegExp][] = [
    ["bad key", /name part must consist of alphanumeric characters/],
    ["a/b/c", /a qualified name must consist of/],
    ["/name", /prefix part must be non-empty/],
    ["example.com/", /name part must be non-empty/],
    [`${"n".repeat(64)}`, /name part must be no more than 63 characters/],
    ["Example_COM/name", /a lowercase RFC 1123 subdomain/],
  ];
  for (const [key, message] of cases) {
    const errs = validatePod(pod({ labels: { [key]: "v" } }));
    assert.equal(errs.length, 1, `${key}: ${errs.join("; ")}`);
    assert.match(errs[0], message, key);
    assert.ok(errs[0].startsWith("metadata.labels: Invalid value: "), errs[0]);
  }
  assert.match(
    validatePod(pod({ annotations: { "bad key": "v" } }))[0],
    /^metadata\.annotations: Invalid value: "bad key"/,
  );
});

test("annotations of more than 256 KiB in all are refused, as the API server's TotalAnnotationSizeLimitB", () => {
  const half = "x".repeat(128 * 1024);
  assert.deepEqual(validatePod(pod({ annotations: { a: half, b: half.slice(2) } })), []);
  assert.deepEqual(validatePod(pod({ annotations: { a: half, b: half } })), [
    "metadata.annotations: Too long: must have at most 262144 bytes",
  ]);
});
