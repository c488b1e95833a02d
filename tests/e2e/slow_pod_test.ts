/**
 * One slow pod never holds up another, end to end: while pod A waits out a
 * grace period, sits in a preStop or postStart hook, or pulls an image from a
 * registry that serves slowly, pod B is added, pod C is edited and pod D is
 * removed, and each of those finishes while A is still busy.
 *
 * @module
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server, Socket } from "node:net";
import { rm, writeFile } from "node:fs/promises";
import process from "node:process";
import {
  busyboxPod,
  docker,
  e2eNode,
  e2ePort,
  getPod,
  nodeContainers,
  run,
  waitFor,
  withNode,
} from "./_harness.ts";

/** A busybox container that catches SIGTERM (so its grace period is real) and never exits by itself. */
const TRAPS_TERM = "trap 'echo got TERM' TERM; while true; do sleep 1; done";

/** Pod A with one container and `extra` lines under the container, grace 30 s. */
function podA(image: string, containerExtra = "", policy = "Never"): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: a
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - name: main
    image: ${image}
    imagePullPolicy: ${policy}
    command: ["sh", "-c", ${JSON.stringify(TRAPS_TERM)}]
${containerExtra}`;
}

interface Scenario {
  /** Pod A's manifest (written before `slow` when `writeFirst`). */
  a: string;
  /** Whether A must be running before the slow phase starts. */
  writeFirst: boolean;
  /** Starts A's slow phase. */
  slow: (manifests: string) => Promise<void>;
  /** True while A is still in its slow phase. */
  stillSlow: (node: string) => Promise<boolean>;
}

const running = (node: string, container: string, pod: string) => async () =>
  (await nodeContainers(node)).some((n) => n.startsWith(`k8s_${container}_${pod}-${node}_`));

async function whileSlow(name: string, port: number, scenario: Scenario): Promise<void> {
  await withNode(name, port, async ({ node, port, manifests }) => {
    await writeFile(`${manifests}/c.yaml`, busyboxPod("c", "sleep 100000"));
    await writeFile(`${manifests}/d.yaml`, busyboxPod("d", "sleep 100000"));
    if (scenario.writeFirst) await writeFile(`${manifests}/a.yaml`, scenario.a);
    await waitFor("pods c and d running", async () => {
      const names = await nodeContainers(node);
      return ["c", "d", ...(scenario.writeFirst ? ["a"] : [])].every((p) =>
        names.some((n) => n.startsWith(`k8s_main_${p}-${node}_`))
      );
    }, { timeoutMs: 30_000 });
    const cBefore = (await getPod(port, `c-${node}`))!.metadata.uid;

    await scenario.slow(manifests);
    await waitFor("pod A in its slow phase", () => scenario.stillSlow(node), { timeoutMs: 30_000 });

    // B is added, C is edited, D is removed, all while A is busy.
    await writeFile(`${manifests}/b.yaml`, busyboxPod("b", "sleep 100000"));
    await writeFile(`${manifests}/c.yaml`, busyboxPod("c", "sleep 100001"));
    await rm(`${manifests}/d.yaml`);
    await waitFor("pod b running", running(node, "main", "b"), { timeoutMs: 15_000 });
    await waitFor("pod c replaced and running", async () => {
      const c = await getPod(port, `c-${node}`);
      return c?.metadata.uid !== cBefore && c?.status?.containerStatuses?.[0]?.state.running !== undefined;
    }, { timeoutMs: 15_000 });
    await waitFor(
      "pod d's containers gone",
      async () => !(await nodeContainers(node, true)).some((n) => n.includes(`_d-${node}_`)),
      { timeoutMs: 15_000 },
    );
    assert.ok(
      await scenario.stillSlow(node),
      "pod A is still in its slow phase: the others did not wait for it",
    );
  });
}

test("pods are added, edited and removed while another pod waits out a 30 s grace period", async () => {
  const node = e2eNode("slow-grace");
  await whileSlow("slow-grace", 18401, {
    a: podA("busybox"),
    writeFirst: true,
    slow: (manifests) => rm(`${manifests}/a.yaml`),
    stillSlow: running(node, "main", "a"),
  });
});

test("pods are added, edited and removed while another pod's preStop hook sleeps 20 s", async () => {
  const node = e2eNode("slow-prestop");
  await whileSlow("slow-prestop", 18402, {
    a: podA("busybox", `    lifecycle:\n      preStop:\n        exec: {command: ["sleep", "20"]}\n`),
    writeFirst: true,
    slow: (manifests) => rm(`${manifests}/a.yaml`),
    stillSlow: async () =>
      (await docker("top", (await aContainer(node)) ?? "none").catch(() => "")).includes("sleep 20"),
  });
});

test("pods are added, edited and removed while another pod's postStart hook sleeps 20 s", async () => {
  const node = e2eNode("slow-poststart");
  const a = podA(
    "busybox",
    `    lifecycle:\n      postStart:\n        exec: {command: ["sh", "-c", "sleep 20; touch /started"]}\n`,
  );
  await whileSlow("slow-poststart", 18403, {
    a,
    writeFirst: false,
    slow: (manifests) => writeFile(`${manifests}/a.yaml`, a),
    stillSlow: async () => {
      const id = await aContainer(node);
      if (!id) return false;
      return await docker("exec", id, "test", "-f", "/started").then(() => false, () => true);
    },
  });
});

test("pods are added, edited and removed while another pod pulls an image from a slow registry", async () => {
  const node = e2eNode("slow-pull");
  const registryPort = e2ePort(18404), proxyPort = e2ePort(18405);
  const dir = `/tmp/kubelet-e2e-slow-pull-registry-${process.pid}`;
  await writeFile(
    `${dir}.yml`,
    `version: 0.1\nstorage: {filesystem: {rootdirectory: ${dir}}}\nhttp: {addr: "127.0.0.1:${registryPort}"}\n`,
  );
  const registry = spawn("docker-registry", ["serve", `${dir}.yml`], { stdio: "ignore" });
  const proxy = throttlingProxy(proxyPort, registryPort, 48 * 1024);
  const pushed = `127.0.0.1:${registryPort}/e2e/${e2eNode("busybox")}:slow`;
  const image = `127.0.0.1:${proxyPort}/e2e/${e2eNode("busybox")}:slow`;
  try {
    await waitFor("the registry", async () => (await fetch(`http://127.0.0.1:${registryPort}/v2/`)).ok);
    // An image whose layer the Engine does not have yet (busybox's files and 1 MiB of noise), so the
    // pull has to download it through the throttled proxy.
    await run("sh", [
      "-c",
      `set -e; d=$(mktemp -d); id=$(docker create --name ${
        e2eNode("slow-export")
      }-${process.pid} busybox:latest); docker export "$id" | tar -x -C "$d"; ` +
      `docker rm "$id" >/dev/null; head -c 1048576 /dev/urandom > "$d/noise"; ` +
      `tar -C "$d" -c . | docker import - ${pushed} >/dev/null; rm -rf "$d"`,
    ]);
    await docker("push", pushed);
    await docker("rmi", pushed);
    await docker("rmi", "-f", image).catch(() => {});
    const a = podA(image, "", "IfNotPresent");
    await whileSlow("slow-pull", 18406, {
      a,
      writeFirst: false,
      slow: (manifests) => writeFile(`${manifests}/a.yaml`, a),
      // Pulling: the kubelet has made A's infra container but not yet its container.
      stillSlow: async () => {
        const names = await nodeContainers(node, true);
        return names.some((n) => n.startsWith(`k8s_POD_a-${node}_`)) &&
          !names.some((n) => n.startsWith(`k8s_main_a-${node}_`));
      },
    });
  } finally {
    registry.kill("SIGTERM");
    proxy.close();
    await docker("rmi", "-f", image).catch(() => {});
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}.yml`, { force: true });
  }
});

/** The ID of pod A's container, if it exists. */
async function aContainer(node: string): Promise<string | undefined> {
  const id = await docker(
    "ps",
    "-q",
    "--filter",
    `label=io.kubernetes.standalone.node=${node}`,
    "--filter",
    "label=io.kubernetes.container.name=main",
    "--filter",
    `label=io.kubernetes.pod.name=a-${node}`,
  );
  return id || undefined;
}

/** A TCP proxy on 127.0.0.1:`port` to 127.0.0.1:`target` that sends answers at `bytesPerSecond`. */
function throttlingProxy(port: number, target: number, bytesPerSecond: number): { close(): void } {
  const clients = new Set<Socket>();
  const server: Server = createServer((client) => {
    clients.add(client);
    client.on("close", () => clients.delete(client));
    const upstream = new Socket();
    upstream.connect(target, "127.0.0.1");
    client.pipe(upstream);
    const chunk = Math.max(1, Math.floor(bytesPerSecond / 10));
    const queue: Buffer[] = [];
    let ended = false;
    upstream.on("data", (d: Buffer) => queue.push(d));
    upstream.on("end", () => (ended = true));
    const timer = setInterval(() => {
      let budget = chunk;
      while (budget > 0 && queue.length) {
        const head = queue[0];
        const part = head.subarray(0, budget);
        client.write(part);
        budget -= part.length;
        if (part.length === head.length) queue.shift();
        else queue[0] = head.subarray(part.length);
      }
      if (ended && !queue.length) {
        clearInterval(timer);
        client.end();
      }
    }, 100);
    const close = () => {
      clearInterval(timer);
      upstream.destroy();
      client.destroy();
    };
    client.on("error", close);
    client.on("close", close);
    upstream.on("error", close);
  });
  server.listen(port, "127.0.0.1");
  return {
    close() {
      server.close();
      for (const c of clients) c.destroy();
    },
  };
}
