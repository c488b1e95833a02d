import { test } from "node:test";
import assert from "node:assert/strict";
import { readCgroupStats } from "../../src/stats/cgroup_stats.ts";

/** Files by path; anything else is missing. */
const files = (map: Record<string, string>) => ({
  readTextFile: (p: string) => p in map ? Promise.resolve(map[p]) : Promise.reject(new Error(`ENOENT ${p}`)),
});

const NOW = new Date("2024-01-01T00:00:00Z");

test("readCgroupStats reads a cgroup v1 (cgroupfs driver) container and its network from its first process", async () => {
  const d = (c: string) => `/sys/fs/cgroup/${c}/docker/abc`;
  const stats = await readCgroupStats(
    files({
      [`${d("cpuacct")}/cpuacct.usage`]: "123456789\n",
      [`${d("cpuacct")}/cgroup.procs`]: "42\n43\n",
      [`${d("memory")}/memory.usage_in_bytes`]: "4096\n",
      [`${d("memory")}/memory.limit_in_bytes`]: "9223372036854771712\n",
      [`${d("memory")}/memory.stat`]: "total_rss 100\ntotal_inactive_file 10\n",
      [`${d("pids")}/pids.current`]: "2\n",
      "/proc/42/net/dev":
        "h1\nh2\n    lo: 1 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0\n  eth0: 500 3 1 0 0 0 0 0 700 4 2 0 0 0 0 0\n",
    }),
    "abc",
    true,
    NOW,
  );
  assert.deepEqual(stats, {
    read: NOW.toISOString(),
    cpu_stats: { cpu_usage: { total_usage: 123456789 } },
    memory_stats: {
      usage: 4096,
      limit: 9223372036854771712,
      stats: { total_rss: 100, total_inactive_file: 10 },
    },
    pids_stats: { current: 2 },
    networks: { eth0: { rx_bytes: 500, rx_errors: 1, tx_bytes: 700, tx_errors: 2 } },
  });
});

test("readCgroupStats reads a cgroup v2 (systemd driver) container, converting usage_usec to ns", async () => {
  const d = "/sys/fs/cgroup/system.slice/docker-abc.scope";
  const stats = await readCgroupStats(
    files({
      [`${d}/cpu.stat`]: "usage_usec 2500\nuser_usec 2000\n",
      [`${d}/memory.current`]: "8192\n",
      [`${d}/memory.max`]: "max\n",
      [`${d}/memory.stat`]: "anon 300\ninactive_file 20\n",
      [`${d}/pids.current`]: "1\n",
    }),
    "abc",
    false,
    NOW,
  );
  assert.equal(stats?.cpu_stats?.cpu_usage?.total_usage, 2_500_000);
  assert.deepEqual(stats?.memory_stats, { usage: 8192, limit: 0, stats: { anon: 300, inactive_file: 20 } });
  assert.equal(stats?.networks, undefined);
});

test("readCgroupStats answers undefined when no cgroup of the container is readable", async () => {
  assert.equal(await readCgroupStats(files({}), "abc", true, NOW), undefined);
});

for (
  const [layout, dir] of [
    ["v1, cgroupfs", (c: string) => `/sys/fs/cgroup/${c}/libpod_parent/libpod-abc`],
    ["v1, systemd", (c: string) => `/sys/fs/cgroup/${c}/machine.slice/libpod-abc.scope`],
  ] as const
) {
  test(`readCgroupStats finds a Podman container's cgroup (${layout}) only when told the engine is Podman`, async () => {
    const fs = files({
      [`${dir("cpuacct")}/cpuacct.usage`]: "5000\n",
      [`${dir("memory")}/memory.usage_in_bytes`]: "1024\n",
      [`${dir("memory")}/memory.limit_in_bytes`]: "2048\n",
      [`${dir("pids")}/pids.current`]: "3\n",
    });
    const stats = await readCgroupStats(fs, "abc", false, NOW, "podman");
    assert.equal(stats?.cpu_stats?.cpu_usage?.total_usage, 5000);
    assert.deepEqual(stats?.memory_stats, { usage: 1024, limit: 2048, stats: {} });
    assert.equal(stats?.pids_stats?.current, 3);
    assert.equal(await readCgroupStats(fs, "abc", false, NOW, "docker"), undefined);
  });
}

for (
  const [layout, dir] of [
    ["v2, cgroupfs", "/sys/fs/cgroup/libpod_parent/libpod-abc"],
    ["v2, systemd", "/sys/fs/cgroup/machine.slice/libpod-abc.scope"],
  ] as const
) {
  test(`readCgroupStats finds a Podman container's cgroup (${layout})`, async () => {
    const stats = await readCgroupStats(
      files({ [`${dir}/cpu.stat`]: "usage_usec 7\n", [`${dir}/memory.current`]: "10\n" }),
      "abc",
      false,
      NOW,
      "podman",
    );
    assert.equal(stats?.cpu_stats?.cpu_usage?.total_usage, 7000);
    assert.equal(stats?.memory_stats?.usage, 10);
  });
}
