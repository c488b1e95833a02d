/**
 * Images by imagePullPolicy, end to end: a pull from a registry on
 * 127.0.0.1, ErrImageNeverPull, ErrImagePull, and the local image used when
 * the registry cannot be reached.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import process from "node:process";
import { docker, e2eNode, e2ePort, getPod, nodeContainers, waitFor, withNode } from "./_harness.ts";

function pod(name: string, image: string, policy: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: ${image}
    imagePullPolicy: ${policy}
    command: ["sh", "-c", "sleep 1000"]
`;
}

const waitingReason = async (port: number, name: string) =>
  (await getPod(port, name))?.status?.containerStatuses?.[0]?.state.waiting?.reason;

test("an image missing from a registry on 127.0.0.1 is pulled through the engine, with the pull in the log", () =>
  withNode("pull", 18331, async ({ node, port, dir, manifests, kubelet }) => {
    const registryPort = e2ePort(18332);
    await writeFile(
      `${dir}/registry.yml`,
      `version: 0.1
storage: {filesystem: {rootdirectory: ${dir}/registry}}
http: {addr: "127.0.0.1:${registryPort}"}
`,
    );
    const registry = spawn("docker-registry", ["serve", `${dir}/registry.yml`], { stdio: "ignore" });
    const image = `127.0.0.1:${registryPort}/e2e/${e2eNode("busybox")}:pulltest`;
    try {
      await waitFor("the registry", async () => (await fetch(`http://127.0.0.1:${registryPort}/v2/`)).ok);
      await docker("tag", "busybox:latest", image);
      await docker("push", image);
      await docker("rmi", image);
      await writeFile(`${manifests}/pulled.yaml`, pod("pulled", image, "IfNotPresent"));
      await waitFor(
        "the pulled image running",
        async () => (await getPod(port, `pulled-${node}`))?.status?.phase === "Running",
        {
          timeoutMs: 60_000,
        },
      );
      assert.match(kubelet.logs(), new RegExp(`pulling image ${image.replace(/[.]/g, "\\.")}`));
      assert.match(kubelet.logs(), /pulled image .* in \d+\.\ds/);
      assert.ok(await docker("images", "-q", image), "the image is now present");
    } finally {
      process.kill(registry.pid!, "SIGTERM");
      await docker("rmi", "-f", image).catch(() => {});
    }
  }));

test("a missing image under Never waits as ErrImageNeverPull; a failed pull waits as ErrImagePull, not a crash", () =>
  withNode("noimage", 18333, async ({ node, port, manifests }) => {
    await writeFile(`${manifests}/never.yaml`, pod("never", "e2e-no-such-image:never", "Never"));
    // Nothing listens on 127.0.0.1:9, so the pull fails at once, on this machine.
    await writeFile(`${manifests}/failing.yaml`, pod("failing", "127.0.0.1:9/e2e/missing:1", "IfNotPresent"));
    await waitFor(
      "ErrImageNeverPull",
      async () => await waitingReason(port, `never-${node}`) === "ErrImageNeverPull",
    );
    await waitFor(
      "ErrImagePull or ImagePullBackOff",
      async () =>
        ["ErrImagePull", "ImagePullBackOff"].includes((await waitingReason(port, `failing-${node}`)) ?? ""),
    );
    const failing = await getPod(port, `failing-${node}`);
    assert.equal(failing?.status?.phase, "Pending");
    assert.match(
      failing!.status!.containerStatuses![0].state.waiting!.message!,
      /127\.0\.0\.1:9\/e2e\/missing:1/,
    );
    const never = await getPod(port, `never-${node}`);
    assert.equal(
      never?.status?.containerStatuses?.[0].state.waiting?.message,
      'Container image "e2e-no-such-image:never" is not present with pull policy of Never',
    );
    // Only the two infra containers exist: nothing crash-loops.
    const names = await nodeContainers(node, true);
    assert.equal(names.filter((n) => n.startsWith("k8s_POD_")).length, 2, names.join(", "));
    assert.equal(names.filter((n) => !n.startsWith("k8s_POD_")).length, 0, names.join(", "));
  }));

test("when the registry cannot be reached, a present image runs under Always with a warning", async () => {
  const image = `127.0.0.1:9/e2e/${e2eNode("busybox")}:offline`;
  try {
    await withNode("offline", 18334, async ({ node, port, manifests, kubelet }) => {
      await docker("tag", "busybox:latest", image);
      await writeFile(`${manifests}/offline.yaml`, pod("offline", image, "Always"));
      await waitFor(
        "the local image running",
        async () => (await getPod(port, `offline-${node}`))?.status?.phase === "Running",
      );
      assert.match(
        kubelet.logs(),
        new RegExp(`registry unreachable pulling ${image.replace(/[.]/g, "\\.")}; using the local image`),
      );
    });
  } finally {
    await docker("rmi", image).catch(() => {});
  }
});
