import { test } from "node:test";
import assert from "node:assert/strict";
import { isSafePodUid } from "../../src/api/pod_uid.ts";
import { validatePod } from "../../src/manifest/validate.ts";
import { validateUid } from "../../src/manifest/validate_uid.ts";

const pod = (uid: unknown) =>
  ({ metadata: { name: "web", uid }, spec: { containers: [{ name: "c", image: "busybox" }] } }) as never;

for (
  const uid of [
    "6f1c0f3e-0d8a-4b8e-9a53-1b2f0c7d9e41",
    "0123456789abcdef0123456789abcdef",
    "web-1",
    "a.b_c",
    "A",
  ]
) {
  test(`validatePod accepts metadata.uid ${uid}`, () => assert.deepEqual(validatePod(pod(uid)), []));
}

for (
  const uid of ["..", ".", "../../etc", "a/b", "/abs", ".hidden", "-x", "a b", "a\0b", "x".repeat(129)]
) {
  test(`validatePod refuses metadata.uid ${JSON.stringify(uid)}`, () => {
    const errs = validatePod(pod(uid));
    assert.equal(errs.length, 1, errs.join("\n"));
    assert.match(errs[0], /^metadata\.uid: Invalid value: .*: must be 1-128 letters, digits/);
    assert.equal(isSafePodUid(uid), false);
  });
}

test("validatePod refuses a metadata.uid that is not a string, once", () => {
  const errs = validatePod(pod(5));
  assert.deepEqual(errs, ["metadata.uid: Invalid value: 5: must be a string"]);
  assert.equal(isSafePodUid(5), false);
});

test("validateUid lets an absent or empty UID through: the kubelet then hashes the pod", () => {
  const errs: string[] = [];
  for (const uid of [undefined, null, ""]) validateUid(uid, errs);
  assert.deepEqual(errs, []);
});
