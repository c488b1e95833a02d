/**
 * A real etcd as a static pod, as a control plane is bootstrapped: the local
 * etcd image (scripts/test_images.sh), host network, data in a hostPath
 * DirectoryOrCreate, listening on 127.0.0.1 only. `etcdctl endpoint health`
 * answers, and a value written survives an edit that replaces the pod.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { etcdManifest } from "../_fixtures/etcd.ts";
import {
  cleanup,
  e2eNode,
  e2ePort,
  getPod,
  nodeContainers,
  startKubelet,
  tempDir,
  waitFor,
} from "./_harness.ts";

const exec = promisify(execFile);

/** `etcdctl ...` inside the running etcd container of `node`: its stdout and stderr (where `endpoint health` writes). */
async function etcdctl(node: string, client: number, ...args: string[]): Promise<string> {
  const [name] = (await nodeContainers(node)).filter((n) => n.startsWith("k8s_etcd_"));
  if (!name) throw new Error("no running etcd container");
  const { stdout, stderr } = await exec("docker", [
    "exec",
    name,
    "etcdctl",
    `--endpoints=http://127.0.0.1:${client}`,
    ...args,
  ]);
  return (stdout + stderr).trim();
}

/** The local addresses listening on TCP `port` in the host's network namespace (/proc/net/tcp, tcp6). */
async function listeners(port: number): Promise<string[]> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const found: string[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(file, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== "0A" || !local?.endsWith(`:${hexPort}`)) continue;
      const hex = local.split(":")[0];
      found.push(hex.length === 8 ? hex.match(/../g)!.reverse().map((b) => parseInt(b, 16)).join(".") : hex);
    }
  }
  return found;
}

test("a real etcd runs as a static pod on the host network; etcdctl finds it healthy and its data survives a replaced pod", async () => {
  const node = e2eNode("etcd-boot");
  const port = e2ePort(18365);
  const client = e2ePort(18366);
  const peer = e2ePort(18367);
  const dir = await tempDir(node);
  const manifests = `${dir}/manifests`;
  const dataDir = `${dir}/var/lib/etcd`;
  await cleanup(node);
  await mkdir(manifests);
  const kubelet = await startKubelet({ node, port, manifests, rootDir: `${dir}/root` });
  try {
    await writeFile(`${manifests}/etcd.yaml`, etcdManifest(node, dataDir, client, peer));
    const health = await waitFor("etcdctl endpoint health", async () => {
      const out = await etcdctl(node, client, "endpoint", "health");
      return /is healthy/.test(out) && out;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    assert.match(health, new RegExp(`127\\.0\\.0\\.1:${client} is healthy`));

    // Host network: the pod's IP is the host's, and etcd listens on the loopback address only.
    const pod = await waitFor("etcd Running in /pods", async () => {
      const p = await getPod(port, `etcd-${node}`);
      return p?.status?.phase === "Running" && p;
    });
    assert.equal(pod.metadata.namespace, "kube-system");
    assert.equal(pod.status?.podIP, pod.status?.hostIP);
    assert.deepEqual(await listeners(client), ["127.0.0.1"]);
    assert.deepEqual(await listeners(peer), ["127.0.0.1"]);
    // DirectoryOrCreate made the data directory on the host, and etcd wrote into it.
    assert.ok((await stat(`${dataDir}/member`)).isDirectory());

    await etcdctl(node, client, "put", "/bootstrap/answer", "42");
    const before = pod.metadata.uid;
    await writeFile(
      `${manifests}/etcd.yaml`,
      etcdManifest(node, dataDir, client, peer, ["--snapshot-count=5000"]),
    );
    await waitFor("etcd replaced under a new UID and Running", async () => {
      const p = await getPod(port, `etcd-${node}`);
      return p?.metadata.uid !== before && p?.status?.phase === "Running" && p;
    }, { timeoutMs: 60_000 });
    const value = await waitFor("the value read back from the new etcd", async () => {
      const out = await etcdctl(node, client, "get", "/bootstrap/answer", "--print-value-only");
      return out === "42" && out;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    assert.equal(value, "42");
    const names = await nodeContainers(node, true);
    assert.equal(names.length, 2, `only the new pod's containers remain: ${names}`);
  } catch (error) {
    console.error(kubelet.logs());
    throw error;
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});
