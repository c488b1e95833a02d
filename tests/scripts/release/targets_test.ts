import { test } from "node:test";
import assert from "node:assert/strict";
import { RELEASE_TARGETS, selectTargets } from "../../../scripts/release/targets.ts";

test("the release builds x64 and arm64 for glibc and musl, each from its own Bun runtime package", () => {
  assert.deepEqual(RELEASE_TARGETS.map((t) => `${t.file} ${t.bunTarget} ${t.runtimePackage}`), [
    "kubelet-linux-x64 bun-linux-x64 @oven/bun-linux-x64",
    "kubelet-linux-arm64 bun-linux-arm64 @oven/bun-linux-aarch64",
    "kubelet-linux-x64-musl bun-linux-x64-musl @oven/bun-linux-x64-musl",
    "kubelet-linux-arm64-musl bun-linux-arm64-musl @oven/bun-linux-aarch64-musl",
  ]);
});

test("selectTargets picks by name without the kubelet- prefix, all when none is named", () => {
  assert.deepEqual(selectTargets(["linux-arm64-musl"]).map((t) => t.file), ["kubelet-linux-arm64-musl"]);
  assert.equal(selectTargets([]).length, RELEASE_TARGETS.length);
  assert.throws(
    () => selectTargets(["darwin-arm64"]),
    /unknown release target "darwin-arm64" \(known: linux-x64/,
  );
});
