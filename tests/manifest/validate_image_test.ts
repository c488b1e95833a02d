import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { isImageReference } from "../../src/manifest/validate_image.ts";
import { validatePod } from "../../src/manifest/validate.ts";
import { podWith } from "./_pods.ts";

describe("isImageReference follows the Docker reference grammar", () => {
  const good = [
    "busybox",
    "busybox:latest",
    "library/busybox:1.36",
    "registry.k8s.io/etcd:3.5.12-0",
    "localhost:5000/a/b_c__d-e.f:v1",
    "[::1]:5000/x",
    "i4-etcd:local",
    "standalone-kubelet/pause:1.0",
    `nginx@sha256:${"a".repeat(64)}`,
    `nginx:1.25@sha256:${"0".repeat(64)}`,
    // The longest name and tag, with a digest.
    `${"a".repeat(127)}/${"b".repeat(127)}:${"t".repeat(128)}@sha512:${"0".repeat(128)}`,
  ];
  const bad = [
    "UPPER:case!!",
    "Busybox",
    "busybox:",
    "busybox:-tag",
    "a//b",
    "a:b:c",
    "-a",
    "a_",
    "nginx@sha256:abc",
    `a:${"t".repeat(129)}`,
    `${"a".repeat(128)}/${"b".repeat(127)}:v1`,
    // A name of 1 MiB that the grammar would take: refused for its length.
    `${"a/".repeat(1 << 19)}b`,
    `${"a/".repeat(1 << 19)}b@sha256:${"a".repeat(64)}`,
  ];
  for (const image of good) test(`accepts ${image}`, () => assert.ok(isImageReference(image)));
  for (const image of bad) test(`refuses ${image.slice(0, 100)}`, () => assert.ok(!isImageReference(image)));
});

test("validatePod refuses an image it cannot parse with the kubelet's InvalidImageName message", () => {
  assert.deepEqual(validatePod(podWith({}, { image: "UPPER:case!!" })), [
    `spec.containers[0].image: Invalid value: "UPPER:case!!": InvalidImageName: Failed to apply default image tag "UPPER:case!!": couldn't parse image name "UPPER:case!!": invalid reference format`,
  ]);
});
