/**
 * What the kubelet does differently on Podman's Docker-compatible service,
 * end to end (the other tests check that everything else behaves as on
 * Docker). Runs only when `E2E_DOCKER_ENDPOINT` points at Podman
 * (scripts/test.sh's Podman pass); skipped on Docker.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import {
  cleanup,
  docker,
  e2eNode,
  e2ePort,
  getPod,
  inspect,
  onPodman,
  startNode,
  waitFor,
} from "./_harness.ts";

const skip = await onPodman() ? false : "needs Podman (E2E_DOCKER_ENDPOINT=unix:///...podman.sock)";

test("on Podman: a localhost/ image is not pulled under Always, and the pause image keeps its tag", {
  skip,
}, async () => {
  const node = e2eNode("podman-images");
  const port = e2ePort(18391);
  const { dir, manifests, kubelet } = await startNode(node, port);
  try {
    await writeFile(
      `${manifests}/local.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: local}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: main, image: busybox, imagePullPolicy: Always, command: [sleep, "1000"]}
`,
    );
    const pod = await waitFor("the pod Running", async () => {
      const p = await getPod(port, `local-${node}`);
      return p?.status?.phase === "Running" && p;
    });
    assert.equal(pod.status!.containerStatuses![0].image, "busybox");
    assert.doesNotMatch(kubelet.logs(), /pulling image busybox/);
    const infra = await inspect(`k8s_POD_local-${node}_default_${pod.metadata.uid}_0`);
    assert.match(infra.Config.Image, /standalone-kubelet\/pause:1\.0$/);
    const app = await inspect(`k8s_main_local-${node}_default_${pod.metadata.uid}_0`);
    assert.equal(app.HostConfig.IpcMode, `container:${infra.Id}`);
    assert.equal(app.HostConfig.NetworkMode, `container:${infra.Id}`);
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});

test(
  "on Podman: a subPath into a Memory emptyDir is refused; a subPath on disk works",
  { skip },
  async () => {
    const node = e2eNode("podman-subpath");
    const port = e2ePort(18392);
    const { dir, manifests, kubelet } = await startNode(node, port);
    try {
      await writeFile(
        `${manifests}/sub.yaml`,
        `apiVersion: v1
kind: Pod
metadata: {name: sub}
spec:
  terminationGracePeriodSeconds: 1
  volumes: [{name: mem, emptyDir: {medium: Memory}}, {name: disk, emptyDir: {}}]
  containers:
  - name: mem
    image: busybox
    imagePullPolicy: Never
    command: [sleep, "1000"]
    volumeMounts: [{name: mem, mountPath: /data, subPath: one}]
  - name: disk
    image: busybox
    imagePullPolicy: Never
    command: [sh, -c, "echo hi > /data/f; sleep 1000"]
    volumeMounts: [{name: disk, mountPath: /data, subPath: one}]
`,
      );
      const statuses = await waitFor("mem refused and disk running", async () => {
        const s = (await getPod(port, `sub-${node}`))?.status?.containerStatuses;
        const mem = s?.find((c) => c.name === "mem");
        const disk = s?.find((c) => c.name === "disk");
        return mem?.state.waiting?.reason === "CreateContainerConfigError" && disk?.state.running && s;
      });
      assert.match(
        statuses.find((c) => c.name === "mem")!.state.waiting!.message!,
        /not supported on Podman/,
      );
      const disk = `k8s_disk_sub-${node}_default_`;
      const names = (await docker("ps", "--format", "{{.Names}}")).split("\n");
      const name = names.find((n) => n.startsWith(disk))!;
      assert.equal(await docker("exec", name, "cat", "/data/f"), "hi");
    } finally {
      await kubelet.stop("SIGKILL");
      await cleanup(node, dir);
    }
  },
);
