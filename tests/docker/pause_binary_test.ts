import { test } from "node:test";
import assert from "node:assert/strict";

import { pauseBinary } from "../../src/docker/pause_binary.ts";

test("pauseBinary gives a small static ELF executable for amd64 and arm64", () => {
  for (const [arch, machine] of [["amd64", 62], ["arm64", 183]] as const) {
    const binary = pauseBinary(arch);
    const view = new DataView(binary.buffer, binary.byteOffset, binary.byteLength);
    assert.deepEqual([...binary.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], `${arch}: ELF magic`);
    assert.equal(binary[4], 2, `${arch}: 64-bit`);
    assert.equal(view.getUint16(16, true), 2, `${arch}: ET_EXEC`);
    assert.equal(view.getUint16(18, true), machine, `${arch}: e_machine`);
    assert.ok(binary.length < 1024, `${arch}: ${binary.length} bytes`);
  }
});

test("pauseBinary returns a fresh copy each call", () => {
  const first = pauseBinary("amd64");
  first[0] = 0;
  assert.equal(pauseBinary("amd64")[0], 0x7f);
});

test("pauseBinary throws an error naming an unknown architecture", () => {
  assert.throws(() => pauseBinary("riscv64"), /"riscv64"/);
  assert.throws(() => pauseBinary("x86_64"), /"x86_64"/);
  assert.throws(() => pauseBinary("toString"), /"toString"/);
});
