/**
 * Smaller runtime faults end to end (issue 11, finding 8): a manifest
 * directory replaced under a kubelet that only watches, malformed escapes in
 * log paths, a second infra container for one pod, and an init container
 * created but never started; each beside a steady crash-looping pod while
 * `/healthz` keeps answering.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import {
  busyboxPod,
  cleanup,
  docker,
  e2eNode,
  e2ePort,
  freshNode,
  getPod,
  inspect,
  startKubelet,
  waitFor,
  withNode,
} from "./_harness.ts";
import { CRASH_LOOP_POD, steadyRestarts, watchBeside } from "./_beside.ts";

const running = async (port: number, name: string) =>
  (await getPod(port, name))?.status?.containerStatuses?.every((s) => s.state.running) === true;

/** This node's running infra containers for pod `name`. */
async function sandboxes(node: string, name: string): Promise<string[]> {
  const out = await docker(
    "ps",
    "-q",
    "--filter",
    `label=io.kubernetes.standalone.node=${node}`,
    "--filter",
    "label=io.kubernetes.docker.type=podsandbox",
    "--filter",
    `label=io.kubernetes.pod.name=${name}`,
  );
  return out ? out.split("\n") : [];
}

test("with --file-check-frequency=0 the watch keeps working after the manifest directory is replaced", () =>
  withNode("dirswap", 18475, async ({ node, port, dir, manifests, kubelet }) => {
    const beside = watchBeside(port, kubelet.proc.pid!);
    try {
      await writeFile(`${manifests}/steady.yaml`, CRASH_LOOP_POD);
      await waitFor("the steady pod", () => getPod(port, `steady-crash-${node}`));
      // Removed and made again, with one more pod.
      await rm(manifests, { recursive: true });
      await mkdir(manifests);
      await writeFile(`${manifests}/steady.yaml`, CRASH_LOOP_POD);
      await writeFile(`${manifests}/one.yaml`, busyboxPod("one", "sleep 1000"));
      await waitFor("pod one from the new directory", () => running(port, `one-${node}`));
      // A later change in the new directory is seen too.
      await writeFile(`${manifests}/two.yaml`, busyboxPod("two", "sleep 1000"));
      await waitFor("pod two", () => running(port, `two-${node}`));
      // Another directory renamed over the path: pod one gone, three added.
      await mkdir(`${dir}/next`);
      await writeFile(`${dir}/next/steady.yaml`, CRASH_LOOP_POD);
      await writeFile(`${dir}/next/two.yaml`, busyboxPod("two", "sleep 1000"));
      await writeFile(`${dir}/next/three.yaml`, busyboxPod("three", "sleep 1000"));
      await rename(manifests, `${dir}/previous`);
      await rename(`${dir}/next`, manifests);
      await waitFor("pod three", () => running(port, `three-${node}`));
      await waitFor("pod one gone", async () => !(await getPod(port, `one-${node}`)));
      await rm(`${manifests}/three.yaml`);
      await waitFor("pod three gone", async () => !(await getPod(port, `three-${node}`)));
      assert.ok(await running(port, `two-${node}`));
      // Malformed escapes in a log path are the client's error.
      const bad = await fetch(`http://127.0.0.1:${port}/containerLogs/default/two-${node}%zz/main`);
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /^400 bad request: malformed URL escape/);
      await waitFor(
        "the steady pod restarting meanwhile",
        async () => (await steadyRestarts(port, node)) >= 1,
      );
    } finally {
      const seen = await beside.stop();
      assert.deepEqual(seen.healthzFailures, []);
      assert.ok(seen.maxRssMiB < 200, `kubelet RSS reached ${seen.maxRssMiB.toFixed(0)} MiB`);
    }
  }, { args: ["--file-check-frequency=0"] }));

test("a second running infra container for one pod is reconciled: the pod starts over in a single new one", () =>
  withNode("twosb", 18476, async ({ node, port, manifests, kubelet }) => {
    const beside = watchBeside(port, kubelet.proc.pid!);
    try {
      await writeFile(`${manifests}/steady.yaml`, CRASH_LOOP_POD);
      await writeFile(`${manifests}/web.yaml`, busyboxPod("web", "sleep 1000"));
      await waitFor("pod web running", () => running(port, `web-${node}`));
      const [first] = await sandboxes(node, `web-${node}`);
      // What a kubelet killed between two syncs could leave: another infra container with the same labels.
      const labels = (await inspect(first)).Config.Labels as Record<string, string>;
      const image = (await inspect(first)).Config.Image as string;
      await docker(
        "run",
        "-d",
        "--name",
        `${node}-second-infra`,
        ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
        image,
      );
      await waitFor("a single running infra container again, and the pod running in it", async () => {
        const now = await sandboxes(node, `web-${node}`);
        return now.length === 1 && !first.startsWith(now[0]) && await running(port, `web-${node}`);
      }, { timeoutMs: 60_000 }); // three stops and two creations
      await waitFor(
        "the steady pod restarting meanwhile",
        async () => (await steadyRestarts(port, node)) >= 1,
      );
    } finally {
      const seen = await beside.stop();
      await docker("rm", "-f", `${node}-second-infra`).catch(() => "");
      assert.deepEqual(seen.healthzFailures, []);
    }
  }));

test("an init container of a restartPolicy Never pod created but never started is started after a kubelet restart", async () => {
  const node = e2eNode("initcreated");
  const port = e2ePort(18477);
  const { dir, manifests, rootDir } = await freshNode(node);
  let kubelet = await startKubelet({ node, port, manifests, rootDir });
  try {
    await writeFile(`${manifests}/steady.yaml`, CRASH_LOOP_POD);
    await writeFile(
      `${manifests}/job.yaml`,
      busyboxPod(
        "job",
        "sleep 1000",
        "  restartPolicy: Never\n  initContainers:\n  - name: init\n    image: busybox\n    imagePullPolicy: Never\n    command: [sleep, '1000']\n",
      ),
    );
    const initId = await waitFor("the init container running", async () => {
      const out = await docker(
        "ps",
        "-q",
        "--no-trunc",
        "--filter",
        `label=io.kubernetes.standalone.node=${node}`,
        "--filter",
        "label=io.kubernetes.container.name=init",
      );
      return out;
    });
    // The kubelet dies between create and start: the init container exists, created, never started.
    await kubelet.stop("SIGKILL");
    const spec = await inspect(initId);
    await docker("rm", "-f", initId);
    await docker(
      "create",
      "--name",
      `${node}-init-created`,
      ...Object.entries(spec.Config.Labels as Record<string, string>).flatMap((
        [k, v],
      ) => ["--label", `${k}=${v}`]),
      "--network",
      spec.HostConfig.NetworkMode,
      "busybox",
      "true",
    );
    kubelet = await startKubelet({ node, port, manifests, rootDir });
    const beside = watchBeside(port, kubelet.proc.pid!);
    await waitFor("the created init container replaced and the pod running", async () => {
      const pod = await getPod(port, `job-${node}`);
      return pod?.status?.initContainerStatuses?.[0]?.state.running || pod?.status?.phase === "Running";
    });
    await waitFor(
      "the created one removed",
      async () => !(await docker("ps", "-aq", "--filter", `name=${node}-init-created`)),
    );
    const seen = await beside.stop();
    assert.deepEqual(seen.healthzFailures, []);
  } finally {
    await kubelet.stop("SIGKILL");
    await docker("rm", "-f", `${node}-init-created`).catch(() => "");
    await cleanup(node, dir);
  }
});
