import { test } from "node:test";
import assert from "node:assert/strict";
import { formatChecksums, parseChecksums, sha256Hex } from "../../../scripts/release/checksums.ts";

const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

test("sha256Hex gives the known digests of the empty string and abc", async () => {
  assert.equal(await sha256Hex(new Uint8Array()), EMPTY);
  assert.equal(await sha256Hex(new TextEncoder().encode("abc")), ABC);
});

test("formatChecksums writes sha256sum's text format, sorted by name", () => {
  assert.equal(
    formatChecksums([{ name: "kubelet-linux-x64", sha256: ABC }, {
      name: "kubelet-linux-arm64",
      sha256: EMPTY,
    }]),
    `${EMPTY}  kubelet-linux-arm64\n${ABC}  kubelet-linux-x64\n`,
  );
});

test("formatChecksums refuses names with a path separator or a line break, and bad digests", () => {
  assert.throws(() => formatChecksums([{ name: "../kubelet", sha256: ABC }]), /bad file name/);
  assert.throws(() => formatChecksums([{ name: "a\nb", sha256: ABC }]), /bad file name/);
  assert.throws(() => formatChecksums([{ name: "kubelet", sha256: ABC.toUpperCase() }]), /bad SHA-256/);
  assert.throws(() => formatChecksums([{ name: "kubelet", sha256: ABC.slice(1) }]), /bad SHA-256/);
});

test("parseChecksums reads back what formatChecksums wrote and sha256sum's binary mode", () => {
  const sums = [{ name: "kubelet-linux-arm64", sha256: EMPTY }, { name: "kubelet-linux-x64", sha256: ABC }];
  assert.deepEqual(parseChecksums(formatChecksums(sums)), sums);
  assert.deepEqual(parseChecksums(`${ABC.toUpperCase()} *kubelet\n`), [{ name: "kubelet", sha256: ABC }]);
});

test("parseChecksums names the line that is not a checksum line", () => {
  assert.throws(() => parseChecksums(`${ABC}  ok\nnot a line\n`), /line 2/);
  assert.throws(() => parseChecksums(`${ABC}  ../escape\n`), /line 1/);
});
