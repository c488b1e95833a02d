/**
 * Pod-directory housekeeping end to end (issue 11, finding 6): directories of
 * edited and vanished pods go, those still wanted or mounted stay; beside a
 * steady crash-looping pod, with `/healthz` answering throughout.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import process from "node:process";
import {
  busyboxPod,
  cleanup,
  docker,
  e2eNode,
  e2ePort,
  freshNode,
  getPod,
  startKubelet,
  waitFor,
  withNode,
} from "./_harness.ts";
import { CRASH_LOOP_POD, steadyRestarts, watchBeside } from "./_beside.ts";

const exists = (p: string) => stat(p).then(() => true, () => false);
const leftover = "e".repeat(32);
const mounted = "f".repeat(32);

const withData = (name: string, script: string) =>
  busyboxPod(name, script, "  volumes: [{name: data, emptyDir: {}}]\n")
    .replace("    command:", "    volumeMounts: [{name: data, mountPath: /data}]\n    command:");

test("housekeeping removes the directories of edited and vanished pods, never a mounted or wanted one", async () => {
  const node = e2eNode("hk");
  const port = e2ePort(18473);
  const { dir, manifests, rootDir } = await freshNode(node);
  // Left by an earlier run: one nobody knows, one a container (not the kubelet's) still mounts.
  await mkdir(`${rootDir}/pods/${leftover}/volumes`, { recursive: true });
  await mkdir(`${rootDir}/pods/${mounted}/volumes`, { recursive: true });
  const other = `${node}-bystander`;
  await docker(
    "run",
    "-d",
    "--name",
    other,
    "-v",
    `${rootDir}/pods/${mounted}/volumes:/v`,
    "busybox",
    "sleep",
    "1000",
  );
  const kubelet = await startKubelet({ node, port, manifests, rootDir });
  const beside = watchBeside(port, kubelet.proc.pid!);
  try {
    await writeFile(`${manifests}/steady.yaml`, CRASH_LOOP_POD);
    await waitFor(
      "the leftover directory removed at start-up",
      async () => !(await exists(`${rootDir}/pods/${leftover}`)),
    );
    await writeFile(`${manifests}/data.yaml`, withData("data", "echo v1 > /data/f; sleep 1000"));
    const v1 = await waitFor("version 1 running", async () => {
      const pod = await getPod(port, `data-${node}`);
      return pod?.status?.containerStatuses?.[0]?.state.running && pod.metadata.uid;
    });
    assert.equal(await exists(`${rootDir}/pods/${v1}/volumes/kubernetes.io~empty-dir/data/f`), true);
    // An edit is a new uid: the old version's directory must go once its containers have.
    await writeFile(`${manifests}/data.yaml`, withData("data", "echo v2 > /data/f; sleep 1000"));
    const v2 = await waitFor("version 2 running", async () => {
      const pod = await getPod(port, `data-${node}`);
      return pod?.metadata.uid !== v1 && pod?.status?.containerStatuses?.[0]?.state.running &&
        pod.metadata.uid;
    });
    await waitFor("version 1's directory gone", async () => !(await exists(`${rootDir}/pods/${v1}`)));
    assert.equal(await exists(`${rootDir}/pods/${v2}/volumes/kubernetes.io~empty-dir/data/f`), true);
    assert.equal(await exists(`${rootDir}/pods/${mounted}`), true, "a directory a container mounts stays");
    const steady = (await getPod(port, `steady-crash-${node}`))!.metadata.uid!;
    assert.deepEqual(
      (await readdir(`${rootDir}/pods`)).sort(),
      [mounted, steady, v2].sort(),
    );
    await waitFor("the steady pod restarting meanwhile", async () => (await steadyRestarts(port, node)) >= 1);
  } catch (error) {
    console.log(kubelet.logs());
    throw error;
  } finally {
    const seen = await beside.stop();
    await kubelet.stop("SIGKILL");
    await docker("rm", "-f", other);
    await cleanup(node, dir);
    assert.deepEqual(seen.healthzFailures, []);
    assert.ok(seen.maxRssMiB < 200, `kubelet RSS reached ${seen.maxRssMiB.toFixed(0)} MiB`);
  }
});

test("a second SIGTERM ends a kubelet whose stop waits for a long grace period", () =>
  withNode("sigterm2", 18474, async ({ node, port, manifests, kubelet }) => {
    await writeFile(
      `${manifests}/stubborn.yaml`,
      // It catches SIGTERM and carries on, so its grace period is really waited out (an ignored
      // signal would have it killed at once).
      busyboxPod("stubborn", "trap 'echo TERM' TERM; while true; do sleep 1; done")
        .replace("terminationGracePeriodSeconds: 2", "terminationGracePeriodSeconds: 120"),
    );
    await waitFor(
      "the stubborn pod running",
      async () => (await getPod(port, `stubborn-${node}`))?.status?.containerStatuses?.[0]?.state.running,
    );
    // Its removal starts a teardown that waits up to 120 s for the container to give up.
    await rm(`${manifests}/stubborn.yaml`);
    await waitFor("the teardown under way", () => kubelet.logs().includes(`removed from`));
    process.kill(kubelet.proc.pid!, "SIGTERM");
    await waitFor("the first SIGTERM logged", () => kubelet.logs().includes("received SIGTERM; stopping"));
    assert.equal(kubelet.proc.exitCode, null, "still waiting for the sync in progress");
    process.kill(kubelet.proc.pid!, "SIGTERM");
    const code = await Promise.race([
      kubelet.exited,
      new Promise((r) => setTimeout(() => r("still running"), 10_000)),
    ]);
    assert.equal(code, 1);
    assert.match(kubelet.logs(), /received SIGTERM again; exiting now/);
  }));
