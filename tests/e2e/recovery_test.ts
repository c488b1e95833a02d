/**
 * Recovery end to end: restart counts that survive a kubelet restart, pods
 * removed while the kubelet was down, two manifests naming one pod, and an
 * edit that breaks a manifest.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { rm, writeFile } from "node:fs/promises";
import {
  busyboxPod,
  cleanup,
  crashOncePod,
  docker,
  e2eNode,
  e2ePort,
  freshNode,
  getPod,
  nodeContainers,
  relists,
  startKubelet,
  waitFor,
} from "./_harness.ts";

const ids = async (node: string) =>
  (await docker("ps", "-aq", "--no-trunc", "--filter", `label=io.kubernetes.standalone.node=${node}`)).split(
    "\n",
  ).sort();

test("restart counts survive a kubelet restart, with the same containers adopted", async () => {
  const node = e2eNode("counts");
  const port = e2ePort(18361);
  const { dir, manifests, rootDir } = await freshNode(node);
  let kubelet = await startKubelet({ node, port, manifests, rootDir });
  try {
    // The first run exits 1; the second (restartCount 1) keeps running.
    await writeFile(`${manifests}/once.yaml`, crashOncePod("once"));
    await waitFor("restartCount 1 and running", async () => {
      const s = (await getPod(port, `once-${node}`))?.status?.containerStatuses?.[0];
      return s?.restartCount === 1 && s.state.running;
    }, { timeoutMs: 20_000 });
    const before = await ids(node);
    assert.equal(await kubelet.stop(), 0);
    kubelet = await startKubelet({ node, port, manifests, rootDir });
    const s = await waitFor("the pod in /pods again", async () => {
      const s = (await getPod(port, `once-${node}`))?.status?.containerStatuses?.[0];
      return s?.state.running && s;
    });
    assert.equal(s.restartCount, 1);
    assert.equal(s.lastState.terminated?.exitCode, 1);
    await relists(port);
    assert.deepEqual(await ids(node), before);
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});

test("pods removed while the kubelet was down are torn down when it starts; other containers are untouched", async () => {
  const node = e2eNode("gone");
  const port = e2ePort(18362);
  const { dir, manifests, rootDir } = await freshNode(node);
  let kubelet = await startKubelet({ node, port, manifests, rootDir });
  const foreign = e2eNode("gone-foreign");
  const otherNode = e2eNode("gone-other");
  try {
    await docker("rm", "-f", foreign, `${otherNode}-c`).catch(() => {});
    await writeFile(`${manifests}/stays.yaml`, busyboxPod("stays", "sleep 1000"));
    await writeFile(`${manifests}/goes.yaml`, busyboxPod("goes", "sleep 1000"));
    await waitFor("four containers", async () => (await nodeContainers(node)).length === 4);
    const staying = (await nodeContainers(node)).filter((n) => n.includes("_stays-"));
    assert.equal(await kubelet.stop(), 0);
    await rm(`${manifests}/goes.yaml`);
    await docker("run", "-d", "--name", foreign, "busybox", "sleep", "1000");
    await docker(
      "run",
      "-d",
      "--name",
      `${otherNode}-c`,
      "--label",
      `io.kubernetes.standalone.node=${otherNode}`,
      "--label",
      "io.kubernetes.pod.name=goes-x",
      "--label",
      "io.kubernetes.pod.namespace=default",
      "busybox",
      "sleep",
      "1000",
    );
    kubelet = await startKubelet({ node, port, manifests, rootDir });
    await waitFor("only the staying pod's containers", async () => {
      const n = await nodeContainers(node, true);
      return n.length === 2 && n.every((x) => x.includes("_stays-"));
    }, { timeoutMs: 20_000 });
    assert.deepEqual(await nodeContainers(node), staying);
    assert.equal(await docker("inspect", "-f", "{{.State.Running}}", foreign), "true");
    assert.equal(await docker("inspect", "-f", "{{.State.Running}}", `${otherNode}-c`), "true");
  } finally {
    await kubelet.stop("SIGKILL");
    await docker("rm", "-f", foreign, `${otherNode}-c`).catch(() => {});
    await cleanup(node, dir);
  }
});

test("two manifests naming one pod: the first in file order wins and the log names both files", async () => {
  const node = e2eNode("dup");
  const port = e2ePort(18363);
  const { dir, manifests, rootDir } = await freshNode(node);
  const kubelet = await startKubelet({ node, port, manifests, rootDir });
  try {
    await writeFile(`${manifests}/b.yaml`, busyboxPod("same", "echo second; sleep 1000"));
    await writeFile(`${manifests}/a.yaml`, busyboxPod("same", "echo first; sleep 1000"));
    const pod = await waitFor("the pod running", async () => {
      const p = await getPod(port, `same-${node}`);
      return p?.status?.phase === "Running" && p;
    });
    await waitFor(
      "the clash logged",
      () => /a\.yaml/.test(kubelet.logs()) && /b\.yaml/.test(kubelet.logs()) && /same/.test(kubelet.logs()),
    );
    const id = pod.status!.containerStatuses![0].containerID!.replace("docker://", "");
    await waitFor("first's output", async () => (await docker("logs", id)) === "first");
    const line = kubelet.logs().split("\n").find((l) => l.includes("a.yaml") && l.includes("b.yaml"));
    assert.ok(line, kubelet.logs());
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});

test("an edit that breaks a manifest keeps the last good pod running and reports the error in /pods", async () => {
  const node = e2eNode("badedit");
  const port = e2ePort(18364);
  const { dir, manifests, rootDir } = await freshNode(node);
  const kubelet = await startKubelet({ node, port, manifests, rootDir });
  try {
    await writeFile(`${manifests}/keep.yaml`, busyboxPod("keep", "sleep 1000"));
    await waitFor("running", async () => (await getPod(port, `keep-${node}`))?.status?.phase === "Running");
    const before = await ids(node);
    await writeFile(
      `${manifests}/keep.yaml`,
      busyboxPod("keep", "sleep 1000").replace("containers:", "containers: [oops"),
    );
    const pod = await waitFor("the error in the pod's status", async () => {
      const p = await getPod(port, `keep-${node}`);
      return p?.status?.message ? p : undefined;
    });
    assert.equal(pod.status!.phase, "Running");
    assert.match(pod.status!.message!, /invalid YAML: Flow sequence/);
    assert.match(kubelet.logs(), /manifest \S*keep\.yaml\S*:\d+: invalid YAML: Flow sequence/);
    await relists(port);
    assert.deepEqual(await ids(node), before, "the containers were not touched");
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});
