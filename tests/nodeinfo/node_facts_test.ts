import { test } from "node:test";
import assert from "node:assert/strict";
import { osImage, readNodeFacts } from "../../src/nodeinfo/node_facts.ts";

test("osImage reads PRETTY_NAME from /etc/os-release, quoted or not", () => {
  assert.equal(
    osImage('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'),
    "Debian GNU/Linux 12 (bookworm)",
  );
  assert.equal(osImage("PRETTY_NAME=Alpine\n"), "Alpine");
  assert.equal(osImage(""), "Linux");
});

test("readNodeFacts reads free memory, disk, PIDs, kernel and runtime version", async () => {
  const files: Record<string, string> = {
    "/proc/meminfo": "MemTotal: 8000 kB\nMemAvailable: 4000 kB\n",
    "/proc/sys/kernel/osrelease": "6.1.0-13-amd64\n",
    "/proc/sys/kernel/pid_max": "4194304\n",
    "/proc/loadavg": "0.10 0.20 0.30 2/345 9999\n",
    "/etc/os-release": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
  };
  const fs = {
    readTextFile: (p: string) => p in files ? Promise.resolve(files[p]) : Promise.reject(new Error("ENOENT")),
    statfs: () =>
      Promise.resolve({
        type: 0,
        blockSize: 4096,
        blocks: 1000,
        blocksFree: 500,
        blocksAvailable: 400,
        files: 0,
        filesFree: 0,
      }),
  };
  const f = await readNodeFacts({
    fs,
    name: "n1",
    hostname: "host",
    rootDir: "/var/lib/kubelet",
    architecture: "amd64",
    kubeletVersion: "v1.31.0",
    startedAt: new Date(0),
    runtimeVersion: () => Promise.resolve("20.10.24"),
  });
  assert.equal(f.memoryAvailable, 4000 * 1024);
  assert.deepEqual(f.nodefs, { available: 400 * 4096, capacity: 1000 * 4096 });
  assert.deepEqual(f.pids, { used: 345, max: 4194304 });
  assert.equal(f.kernelVersion, "6.1.0-13-amd64");
  assert.equal(f.containerRuntimeVersion, "docker://20.10.24");
  assert.equal(f.osImage, "Debian GNU/Linux 12 (bookworm)");
  assert.equal(f.machine.memory_capacity, 8000 * 1024);
});

test("readNodeFacts leaves out what it cannot read, and an Engine that does not answer", async () => {
  const f = await readNodeFacts({
    fs: {
      readTextFile: () => Promise.reject(new Error("ENOENT")),
      statfs: () => Promise.reject(new Error("EPERM")),
    },
    name: "n1",
    hostname: "host",
    rootDir: "/x",
    architecture: "arm64",
    kubeletVersion: "v1.31.0",
    startedAt: new Date(0),
    runtimeVersion: () => Promise.reject(new Error("refused")),
  });
  assert.equal(f.memoryAvailable, undefined);
  assert.equal(f.nodefs, undefined);
  assert.equal(f.pids, undefined);
  assert.equal(f.containerRuntimeVersion, "");
});
