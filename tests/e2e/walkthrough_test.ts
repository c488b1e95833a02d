/**
 * The seed walkthrough, step by step, as a user does it: a manifest
 * directory, the nginx pod dropped in, docker ps, /pods, removal. Runs once
 * on the compiled binary and once under `deno run`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, rm, stat } from "node:fs/promises";
import { docker, getPod, getPods, inspect, nodeContainers, ROOT, waitFor, withNode } from "./_harness.ts";

for (const [runtime, port] of [["binary", 18301], ["deno", 18302]] as const) {
  test(`walkthrough (${runtime}): the nginx pod runs, is served in /pods, and goes away with its manifest`, () =>
    withNode(`walk-${runtime}`, port, async ({ node, port, manifests, rootDir, kubelet }) => {
      await copyFile(`${ROOT}/examples/nginx.yaml`, `${manifests}/nginx.yaml`);
      const names = await waitFor("three running containers", async () => {
        const n = await nodeContainers(node);
        return n.length === 3 && n;
      });
      const pod = await waitFor("the pod Running in /pods", async () => {
        const p = await getPod(port, `nginx-${node}`);
        return p?.status?.phase === "Running" && p;
      });
      const uid = pod.metadata.uid!;
      assert.match(uid, /^[0-9a-f]{32}$/);
      assert.deepEqual(names, [
        `k8s_POD_nginx-${node}_default_${uid}_0`,
        `k8s_log-truncator_nginx-${node}_default_${uid}_0`,
        `k8s_nginx_nginx-${node}_default_${uid}_0`,
      ]);

      // Both app containers join the infra container's network and IPC namespaces.
      const infra = await inspect(names[0]);
      for (const name of names.slice(1)) {
        const c = await inspect(name);
        assert.equal(c.HostConfig.NetworkMode, `container:${infra.Id}`);
        assert.equal(c.HostConfig.IpcMode, `container:${infra.Id}`);
      }
      const truncator = names[1];
      const page = await docker("exec", truncator, "wget", "-qO-", "http://127.0.0.1:80/");
      assert.match(page, /Welcome to nginx/);

      // The emptyDir is shared: nginx logs the request, the truncator empties the log within ~10 s.
      const size = async () =>
        Number(await docker("exec", truncator, "sh", "-c", "wc -c < /logdir/access.log"));
      await waitFor("the access log to hold a request", async () => {
        await docker("exec", truncator, "wget", "-qO-", "http://127.0.0.1:80/");
        return await size() > 0;
      }, { timeoutMs: 10_000, intervalMs: 1000 });
      await waitFor("the truncator to empty the access log", async () => await size() === 0, {
        timeoutMs: 15_000,
        intervalMs: 500,
      });
      const volume = `${rootDir}/pods/${uid}/volumes/kubernetes.io~empty-dir/nginx-logs`;
      assert.equal((await stat(volume)).mode & 0o777, 0o777);

      // Status: healthz, the PodList, the machine spec.
      assert.equal(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text(), "ok");
      const list = await getPods(port);
      assert.equal(list.kind, "PodList");
      assert.equal(list.apiVersion, "v1");
      assert.equal(pod.metadata.namespace, "default");
      assert.equal(pod.metadata.annotations?.["kubernetes.io/config.source"], "file");
      assert.equal(pod.metadata.annotations?.["kubernetes.io/config.hash"], uid);
      assert.ok(pod.metadata.annotations?.["kubernetes.io/config.seen"]);
      const status = pod.status!;
      assert.equal(status.podIP, infra.NetworkSettings.IPAddress);
      assert.ok(status.hostIP);
      assert.ok(status.startTime);
      const conditions = Object.fromEntries(status.conditions!.map((c) => [c.type, c.status]));
      assert.equal(conditions.Ready, "True");
      assert.equal(conditions.ContainersReady, "True");
      assert.equal(conditions.Initialized, "True");
      assert.equal(conditions.PodScheduled, "True");
      assert.deepEqual(status.containerStatuses!.map((c) => c.name), ["nginx", "log-truncator"]);
      for (const c of status.containerStatuses!) {
        const engine = await inspect(`k8s_${c.name}_nginx-${node}_default_${uid}_0`);
        assert.equal(c.containerID, `docker://${engine.Id}`);
        assert.equal(c.imageID, `docker://${engine.Image}`);
        assert.equal(c.image, c.name === "nginx" ? "nginx" : "busybox");
        assert.ok(c.state.running?.startedAt);
        assert.equal(c.ready, true);
        assert.equal(c.restartCount, 0);
      }
      const spec = await (await fetch(`http://127.0.0.1:${port}/spec/`)).json();
      for (
        const key of [
          "num_cores",
          "cpu_frequency_khz",
          "memory_capacity",
          "machine_id",
          "system_uuid",
          "boot_id",
          "filesystems",
        ]
      ) {
        assert.ok(key in spec, `/spec/ has ${key}`);
      }
      assert.ok(spec.num_cores >= 1 && spec.memory_capacity > 0);

      // Removing the manifest stops and removes everything, and the emptyDir goes.
      await rm(`${manifests}/nginx.yaml`);
      await waitFor("the pod to leave /pods", async () => (await getPods(port)).items.length === 0, {
        timeoutMs: 5_000,
      });
      // The truncator's shell ignores SIGTERM, so it gets the whole 30 s grace period before SIGKILL.
      await waitFor("all containers removed", async () => (await nodeContainers(node, true)).length === 0, {
        timeoutMs: 60_000,
        intervalMs: 500,
      });
      await waitFor("the emptyDir removed", async () => !(await stat(volume).catch(() => null)), {
        timeoutMs: 5_000,
      });
      assert.equal(await kubelet.stop(), 0);
    }, { runtime }));
}
