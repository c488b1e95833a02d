/**
 * The four control-plane manifests as kubeadm writes them
 * (tests/testdata/kubeadm), with their hostPaths moved into a temporary
 * directory. As they are, their registry images cannot be pulled here: each
 * pod shows ErrImagePull / ImagePullBackOff and the kubelet stays healthy.
 * With stand-in images, the containers the kubelet creates carry the Engine
 * configuration the kubelet gives these pods.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { parse, stringify } from "yaml";
import type { Pod } from "../../src/api/types.ts";
import {
  cleanup,
  docker,
  e2eNode,
  e2ePort,
  getPods,
  inspect,
  nodeContainers,
  ROOT,
  run,
  startKubelet,
  tempDir,
  waitFor,
} from "./_harness.ts";

const COMPONENTS = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"];
const SHARES: Record<string, number> = {
  "etcd": 102,
  "kube-apiserver": 256,
  "kube-controller-manager": 204,
  "kube-scheduler": 102,
};

/** A kubeadm manifest with every hostPath under `hostRoot`, and its image replaced when `image` is given. */
async function kubeadmManifest(name: string, hostRoot: string, image?: string): Promise<string> {
  const pod = parse(await readFile(`${ROOT}/tests/testdata/kubeadm/${name}.yaml`, "utf8")) as Pod;
  for (const v of pod.spec.volumes ?? []) if (v.hostPath) v.hostPath.path = `${hostRoot}${v.hostPath.path}`;
  if (image) pod.spec.containers[0].image = image;
  return stringify(pod);
}

/** An image with busybox and a script under each control-plane command's name that logs its arguments and sleeps. */
async function buildStubImage(dir: string): Promise<string> {
  const image = `${e2eNode("kubeadm-stub")}:test`;
  const source = `${e2eNode("kubeadm-stub-source")}-${process.pid}`;
  await docker("create", "--name", source, "busybox:latest");
  try {
    await docker("export", source, "-o", `${dir}/rootfs.tar`);
  } finally {
    await docker("rm", "-f", source);
  }
  await mkdir(`${dir}/stub/usr/local/bin`, { recursive: true });
  for (const name of COMPONENTS) {
    await writeFile(`${dir}/stub/usr/local/bin/${name}`, '#!/bin/sh\necho "$0 $*"\nexec sleep 3600\n', {
      mode: 0o755,
    });
  }
  // Files only: the Engine refuses a layer that names a directory twice, and makes missing parents itself.
  const files = COMPONENTS.map((name) => `usr/local/bin/${name}`);
  await run("tar", ["-rf", `${dir}/rootfs.tar`, "-C", `${dir}/stub`, "--no-recursion", ...files]);
  await docker("import", "--change", "ENV PATH=/usr/local/bin:/usr/bin:/bin", `${dir}/rootfs.tar`, image);
  return image;
}

test("kubeadm's control-plane manifests, whose images cannot be pulled, show ErrImagePull or ImagePullBackOff while the kubelet stays healthy", async () => {
  const node = e2eNode("kubeadm-pull");
  const port = e2ePort(18368);
  const dir = await tempDir(node);
  const manifests = `${dir}/manifests`, host = `${dir}/host`;
  await cleanup(node);
  await mkdir(manifests);
  const kubelet = await startKubelet({ node, port, manifests, rootDir: `${dir}/root` });
  try {
    for (const name of COMPONENTS) {
      await writeFile(`${manifests}/${name}.yaml`, await kubeadmManifest(name, host));
    }
    const pods = await waitFor("all four pods waiting on their images", async () => {
      const items = (await getPods(port)).items;
      const reasons = items.map((p) => p.status?.containerStatuses?.[0]?.state.waiting?.reason);
      return items.length === 4 && reasons.every((r) => r === "ErrImagePull" || r === "ImagePullBackOff") &&
        items;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    assert.deepEqual(pods.map((p) => p.metadata.name).sort(), COMPONENTS.map((c) => `${c}-${node}`).sort());
    for (const pod of pods) {
      assert.equal(pod.metadata.namespace, "kube-system");
      assert.equal(pod.status?.phase, "Pending");
      const waiting = pod.status!.containerStatuses![0].state.waiting!;
      assert.match(waiting.message ?? "", /registry\.k8s\.io\/(etcd|kube-)/);
      assert.equal(pod.status?.podIP, pod.status?.hostIP, "host network: the pod's IP is the host's");
    }
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text(), "ok");

    // Each pod's infra container runs, in the host's network and UTS namespaces.
    const infra = (await nodeContainers(node)).filter((n) => n.startsWith("k8s_POD_"));
    assert.equal(infra.length, 4);
    for (const name of infra) {
      const c = await inspect(name);
      assert.equal(c.HostConfig.NetworkMode, "host");
      assert.equal(c.HostConfig.UTSMode, "host");
    }
    // The volumes were made as their types ask: directories and empty kubeconfig files.
    assert.ok((await stat(`${host}/var/lib/etcd`)).isDirectory());
    assert.ok((await stat(`${host}/etc/kubernetes/pki`)).isDirectory());
    assert.ok((await stat(`${host}/etc/kubernetes/scheduler.conf`)).isFile());
    assert.match(
      kubelet.messages(),
      /kube-apiserver\.yaml:1: pod "kube-apiserver": fields accepted but not acted on by the standalone kubelet: spec\.priority, spec\.priorityClassName/,
    );
    assert.doesNotMatch(kubelet.logs(), /unknown field/);
  } catch (error) {
    console.error(kubelet.logs());
    throw error;
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});

test("kubeadm's control-plane manifests with their images at hand run with host networking, CPU shares, RuntimeDefault seccomp and their hostPaths", async () => {
  const node = e2eNode("kubeadm-run");
  const port = e2ePort(18369);
  const dir = await tempDir(node);
  const manifests = `${dir}/manifests`, host = `${dir}/host`;
  await cleanup(node);
  await mkdir(manifests);
  const image = await buildStubImage(dir);
  const kubelet = await startKubelet({ node, port, manifests, rootDir: `${dir}/root` });
  try {
    for (const name of COMPONENTS) {
      await writeFile(`${manifests}/${name}.yaml`, await kubeadmManifest(name, host, image));
    }
    const pods = await waitFor("all four pods Running", async () => {
      const items = (await getPods(port)).items;
      return items.length === 4 && items.every((p) => p.status?.phase === "Running") && items;
    }, { timeoutMs: 60_000, intervalMs: 500 });

    for (const pod of pods) {
      const component = pod.metadata.labels!.component;
      const spec = pod.spec.containers[0];
      const uid = pod.metadata.uid!;
      const sandbox = await inspect(`k8s_POD_${pod.metadata.name}_kube-system_${uid}_0`);
      const c = await inspect(`k8s_${spec.name}_${pod.metadata.name}_kube-system_${uid}_0`);
      const hc = c.HostConfig;
      assert.equal(hc.NetworkMode, `container:${sandbox.Id}`, component);
      assert.equal(hc.UTSMode, "host", component);
      assert.equal(hc.CpuShares, SHARES[component], component);
      assert.equal(hc.CpuQuota, 0, `${component}: no CPU limit`);
      assert.equal(hc.Memory, 0, `${component}: no memory limit`);
      // RuntimeDefault is the Engine's default profile: no seccomp option, and never "unconfined".
      assert.ok(
        !(hc.SecurityOpt ?? []).some((o: string) => o.startsWith("seccomp")),
        `${component}: ${hc.SecurityOpt}`,
      );
      assert.deepEqual(c.Config.Entrypoint, spec.command);
      assert.equal(c.Config.Labels["io.kubernetes.container.terminationMessagePath"], "/dev/termination-log");
      for (const mount of spec.volumeMounts ?? []) {
        const volume = pod.spec.volumes!.find((v) => v.name === mount.name)!;
        assert.ok(
          // deno-lint-ignore no-explicit-any
          (hc.Mounts as any[]).some((m) =>
            m.Type === "bind" && m.Source === volume.hostPath!.path && m.Target === mount.mountPath &&
            // The Engine leaves ReadOnly out when false.
            (m.ReadOnly === true) === (mount.readOnly === true)
          ),
          `${component}: ${mount.mountPath} in ${JSON.stringify(hc.Mounts)}`,
        );
      }
      const hosts = await docker("exec", c.Id, "cat", "/etc/hosts");
      assert.match(hosts, /^# Kubernetes-managed hosts file \(host network\)\./);
      assert.equal(await docker("exec", c.Id, "hostname"), hostname());
      assert.match(await docker("logs", c.Id), new RegExp(`^/usr/local/bin/${component} --`));
    }
  } catch (error) {
    console.error(kubelet.logs());
    throw error;
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
    await docker("rmi", "-f", image).catch(() => {});
  }
});
