import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadStartupOptions } from "../../src/kubeletconfig/load_config.ts";
import type { FileInfo } from "../../src/platform/types.ts";

const KUBEADM = readFileSync(new URL("../testdata/kubeadm-kubelet/config.yaml", import.meta.url), "utf8");

/** A file system of `files` (path to content) and `dirs`. */
function fakeFs(files: Record<string, string>, dirs: string[] = []) {
  const info = (
    isFile: boolean,
  ) => ({ isFile, isDirectory: !isFile, isSymlink: false } as unknown as FileInfo);
  return {
    stat: (p: string) => Promise.resolve(p in files ? info(true) : dirs.includes(p) ? info(false) : null),
    readTextFile: (p: string) => Promise.resolve(files[p]),
  };
}

test("loadStartupOptions without --config keeps the flags as they are", async () => {
  const flags = { podManifestPath: "/m" };
  assert.deepEqual(await loadStartupOptions(fakeFs({}), flags), { options: flags, warnings: [] });
});

test("loadStartupOptions fills in what flags leave out from a KubeletConfiguration; flags given win", async () => {
  const fs = fakeFs({ "/var/lib/kubelet/config.yaml": KUBEADM });
  const { options, warnings } = await loadStartupOptions(fs, {
    config: "/var/lib/kubelet/config.yaml",
    healthzPort: "16248",
    readOnlyPort: undefined,
  });
  assert.deepEqual(options, {
    podManifestPath: "/etc/kubernetes/manifests",
    healthzBindAddress: "127.0.0.1",
    healthzPort: "16248",
    v: 0,
  });
  assert.deepEqual(warnings, [
    "--config /var/lib/kubelet/config.yaml: fields not implemented by the standalone kubelet, ignored: authentication, authorization, cgroupDriver, clusterDNS, clusterDomain, rotateCertificates",
  ]);
});

test("loadStartupOptions takes --config naming a directory or a Pod manifest as the manifest path, with a deprecation warning", async () => {
  const fs = fakeFs({ "/etc/pod.yaml": "apiVersion: v1\nkind: Pod\n" }, ["/etc/manifests"]);
  for (const path of ["/etc/manifests", "/etc/pod.yaml"]) {
    const { options, warnings } = await loadStartupOptions(fs, { config: path, v: "2" });
    assert.deepEqual(options, { podManifestPath: path, v: "2" });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], new RegExp(`deprecated: use --pod-manifest-path ${path}`));
  }
});

test("loadStartupOptions refuses a missing --config path, and a bad file naming path and field", async () => {
  await assert.rejects(
    loadStartupOptions(fakeFs({}), { config: "/nope.yaml" }),
    /--config \/nope\.yaml: no such file/,
  );
  const fs = fakeFs({
    "/c.yaml": "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nhealthzPort: x\n",
  });
  await assert.rejects(
    loadStartupOptions(fs, { config: "/c.yaml" }),
    /--config \/c\.yaml: healthzPort: "x" is not a port/,
  );
});
