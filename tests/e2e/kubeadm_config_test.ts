/**
 * A kubeadm host's kubelet: the KubeletConfiguration kubeadm writes
 * (tests/testdata/kubeadm-kubelet/config.yaml, its staticPodPath and
 * healthzPort moved for the test) and the flags of kubeadm's systemd unit
 * start the kubelet on its static pods, and kubeadm's wait for the kubelet
 * (polling /healthz on the health port) succeeds. Every line it logs is a
 * klog line.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { parse, stringify } from "yaml";
import {
  busyboxPod,
  cleanup,
  e2eNode,
  e2ePort,
  freshNode,
  getPod,
  nodeContainers,
  ROOT,
  startKubelet,
  waitFor,
} from "./_harness.ts";
import { parseKlogLine } from "../_klog.ts";

test("kubeadm's KubeletConfiguration and unit flags start the kubelet on its staticPodPath, and kubeadm's health wait succeeds", async () => {
  const node = e2eNode("kubeadm-config");
  const port = e2ePort(18392);
  const healthzPort = e2ePort(18393);
  const { dir, manifests, rootDir } = await freshNode(node);
  const config = parse(await readFile(`${ROOT}/tests/testdata/kubeadm-kubelet/config.yaml`, "utf8"));
  assert.equal(config.staticPodPath, "/etc/kubernetes/manifests");
  assert.equal(config.healthzPort, 10248);
  config.staticPodPath = manifests;
  config.healthzPort = healthzPort;
  await writeFile(`${dir}/config.yaml`, stringify(config));
  await writeFile(`${manifests}/static-web.yaml`, busyboxPod("static-web", "sleep 1000"));

  const kubelet = await startKubelet({
    node,
    port,
    rootDir,
    healthzPort: null,
    // As kubeadm's 10-kubeadm.conf and kubeadm-flags.env pass them.
    args: [
      "--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf",
      "--kubeconfig=/etc/kubernetes/kubelet.conf",
      `--config=${dir}/config.yaml`,
    ],
  });
  try {
    // kubeadm's wait-control-plane phase: GET http://127.0.0.1:<healthzPort>/healthz until 200.
    const body = await waitFor("the kubelet's /healthz on the health port", async () => {
      const res = await fetch(`http://127.0.0.1:${healthzPort}/healthz`);
      return res.status === 200 && await res.text();
    });
    assert.equal(body, "ok");
    assert.equal((await fetch(`http://127.0.0.1:${healthzPort}/pods`)).status, 404, "/healthz only");

    await waitFor(
      "the staticPodPath's pod running",
      async () => (await getPod(port, `static-web-${node}`))?.status?.phase === "Running",
    );
    assert.equal((await nodeContainers(node)).length, 2);

    const lines = kubelet.logs().trim().split("\n");
    for (const line of lines) parseKlogLine(line);
    const messages = kubelet.messages();
    assert.match(messages, /--kubeconfig is ignored: there is no API server/);
    assert.match(messages, /--bootstrap-kubeconfig is ignored/);
    assert.match(
      messages,
      /fields not implemented by the standalone kubelet, ignored: authentication, authorization, cgroupDriver, clusterDNS, clusterDomain, rotateCertificates/,
    );
    assert.doesNotMatch(messages, /unknown fields|deprecated/);
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});
