import { test } from "node:test";
import assert from "node:assert/strict";
import type { Container } from "../../src/api/types.ts";
import {
  linuxResources,
  milliCpuToQuota,
  milliCpuToShares,
  milliValue,
} from "../../src/runtime/resources.ts";

const c = (resources: Container["resources"]): Container => ({ name: "c", image: "x", resources });

for (
  const [milli, shares] of [[0, 2], [1, 2], [100, 102], [250, 256], [500, 512], [1000, 1024], [2000, 2048], [
    1e6,
    262144,
  ]]
) {
  test(`milliCpuToShares gives ${shares} shares for ${milli}m as the kubelet does`, () => {
    assert.equal(milliCpuToShares(milli), shares);
  });
}

for (const [milli, quota] of [[0, 0], [5, 1000], [10, 1000], [100, 10000], [500, 50000], [1500, 150000]]) {
  test(`milliCpuToQuota gives a ${quota} µs quota for ${milli}m over a 100 ms period`, () => {
    assert.equal(milliCpuToQuota(milli), quota);
  });
}

for (
  const [q, milli] of [["100m", 100], ["0.5", 500], [0.25, 250], ["1", 1000], ["1e3", 1_000_000], [
    "1k",
    1_000_000,
  ], ["0.0001", 1]] as const
) {
  test(`milliValue reads ${JSON.stringify(q)} as ${milli} millicores, rounding up`, () => {
    assert.equal(milliValue(q), milli);
  });
}

test("linuxResources maps the CPU request to shares, the CPU limit to a quota and the memory limit to bytes", () => {
  assert.deepEqual(
    linuxResources(
      c({ limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: "250m", memory: "64Mi" } }),
    ),
    {
      CpuShares: 256,
      CpuPeriod: 100000,
      CpuQuota: 50000,
      Memory: 134217728,
      MemorySwap: 134217728,
    },
  );
});

test("linuxResources takes shares from the CPU limit when there is no CPU request", () => {
  assert.deepEqual(linuxResources(c({ limits: { cpu: "1" } })), {
    CpuShares: 1024,
    CpuPeriod: 100000,
    CpuQuota: 100000,
  });
});

test("linuxResources gives a container without resources the minimum shares and no limits, as the kubelet does", () => {
  assert.deepEqual(linuxResources(c(undefined)), { CpuShares: 2 });
  assert.deepEqual(linuxResources(c({ requests: { memory: "1G" } })), { CpuShares: 2 });
});

test("linuxResources reads memory in decimal and exponent forms", () => {
  assert.equal(linuxResources(c({ limits: { memory: "1G" } })).Memory, 1e9);
  assert.equal(linuxResources(c({ limits: { memory: "1e9" } })).Memory, 1e9);
  assert.equal(linuxResources(c({ limits: { memory: 1048576 } })).Memory, 1048576);
});
