import { test } from "node:test";
import assert from "node:assert/strict";
import {
  apiTime,
  containerMemoryStats,
  cpuStats,
  engineNetworkStats,
  fsStats,
  nodeMemoryStats,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
  parseSelfStat,
  sumCpu,
} from "../../src/stats/summary.ts";

const T = "2024-01-01T00:00:00Z";

test("cpuStats averages usage over the window since the previous sample, in nanocores", () => {
  const s = cpuStats({ at: 2_000, usageNs: 1_500_000_000 }, { at: 1_000, usageNs: 1_000_000_000 });
  assert.equal(s.usageCoreNanoSeconds, 1_500_000_000);
  assert.equal(s.usageNanoCores, 500_000_000);
  assert.equal(
    cpuStats({ at: 2_000, usageNs: 5 }).usageNanoCores,
    undefined,
    "no rate without a previous sample",
  );
  assert.equal(
    cpuStats({ at: 2_000, usageNs: 5 }, { at: 1_000, usageNs: 9 }).usageNanoCores,
    undefined,
    "counter reset",
  );
});

test("containerMemoryStats computes working set as usage less inactive file (cgroup v1 and v2 names)", () => {
  const v1 = containerMemoryStats(
    {
      usage: 1000,
      limit: 4000,
      stats: { total_inactive_file: 300, total_rss: 500, total_pgfault: 7, total_pgmajfault: 1 },
    },
    T,
    1 << 30,
  );
  assert.deepEqual(v1, {
    time: T,
    usageBytes: 1000,
    workingSetBytes: 700,
    rssBytes: 500,
    pageFaults: 7,
    majorPageFaults: 1,
    availableBytes: 3300,
  });
  const v2 = containerMemoryStats(
    { usage: 1000, limit: 0, stats: { inactive_file: 100, anon: 400, pgfault: 3, pgmajfault: 0 } },
    T,
    1 << 30,
  );
  assert.equal(v2.workingSetBytes, 900);
  assert.equal(v2.rssBytes, 400);
  assert.equal(v2.availableBytes, undefined, "no limit, no availableBytes");
  const unlimited = containerMemoryStats({ usage: 10, limit: 1 << 30, stats: {} }, T, 1 << 30);
  assert.equal(unlimited.availableBytes, undefined, "a limit of the whole machine is no limit");
});

test("parseProcStat sums busy CPU ticks as ns and reads the boot time", () => {
  const text = "cpu  100 5 50 1000 20 3 2 1 0 0\ncpu0 1 2 3 4\nbtime 1700000000\n";
  assert.deepEqual(parseProcStat(text), { busyNs: (100 + 5 + 50 + 3 + 2 + 1) * 1e7, bootTime: 1700000000 });
});

test("parseMeminfo and nodeMemoryStats give the root cgroup's view of memory", () => {
  const m = parseMeminfo(
    "MemTotal:       1000 kB\nMemFree:         200 kB\nInactive(file):   100 kB\nAnonPages:   50 kB\n",
  );
  assert.equal(m.MemTotal, 1024000);
  const s = nodeMemoryStats(m, { pgfault: 9, pgmajfault: 2 }, T);
  assert.equal(s.usageBytes, 800 * 1024);
  assert.equal(s.workingSetBytes, 700 * 1024);
  assert.equal(s.availableBytes, 300 * 1024);
  assert.equal(s.rssBytes, 50 * 1024);
  assert.equal(s.pageFaults, 9);
});

test("parseNetDev reads bytes and errors per interface, leaving out loopback", () => {
  const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0
  eth0:  5000      10    2    0    0     0          0         0     7000      20    3    0    0     0       0          0
`;
  assert.deepEqual(parseNetDev(text), [{
    name: "eth0",
    rxBytes: 5000,
    rxErrors: 2,
    txBytes: 7000,
    txErrors: 3,
  }]);
});

test("engineNetworkStats puts eth0 inline and lists every interface", () => {
  const n = engineNetworkStats({
    eth1: { rx_bytes: 1 },
    eth0: { rx_bytes: 5, tx_bytes: 6, rx_errors: 0, tx_errors: 0 },
  }, T)!;
  assert.equal(n.name, "eth0");
  assert.equal(n.rxBytes, 5);
  assert.deepEqual(n.interfaces!.map((i) => i.name), ["eth0", "eth1"]);
  assert.equal(engineNetworkStats(undefined, T), undefined);
});

test("fsStats turns statfs numbers into bytes and inodes", () => {
  const s = fsStats({
    blockSize: 4096,
    blocks: 100,
    blocksFree: 40,
    blocksAvailable: 30,
    files: 50,
    filesFree: 20,
  }, T);
  assert.deepEqual(s, {
    time: T,
    availableBytes: 30 * 4096,
    capacityBytes: 100 * 4096,
    usedBytes: 60 * 4096,
    inodesFree: 20,
    inodes: 50,
    inodesUsed: 30,
  });
});

test("sumCpu adds usage and gives a rate only when every part has one", () => {
  assert.deepEqual(
    sumCpu([{ time: T, usageCoreNanoSeconds: 1, usageNanoCores: 2 }, {
      time: T,
      usageCoreNanoSeconds: 3,
      usageNanoCores: 4,
    }], T),
    {
      time: T,
      usageCoreNanoSeconds: 4,
      usageNanoCores: 6,
    },
  );
  assert.equal(
    sumCpu([{ time: T, usageCoreNanoSeconds: 1 }, { time: T, usageNanoCores: 4 }], T)!.usageNanoCores,
    undefined,
  );
});

test("parseSelfStat reads utime and stime even when the command holds spaces and parentheses", () => {
  const fields = Array.from({ length: 50 }, (_, i) => String(i));
  fields[11] = "30"; // utime is field 14, the 12th after the state
  fields[12] = "20";
  assert.equal(parseSelfStat(`123 (my (odd) cmd) ${fields.join(" ")}`), 50 * 1e7);
});

test("apiTime writes whole seconds as metav1.Time does", () => {
  assert.equal(apiTime("2024-01-01T00:00:00.123456Z"), "2024-01-01T00:00:00Z");
});
