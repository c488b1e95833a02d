/**
 * Manifest handling end to end: a broken manifest beside a good one, an
 * edited manifest replacing its pod, and a container that exits being
 * restarted.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { rename, writeFile } from "node:fs/promises";
import { busyboxPod, getPod, nodeContainers, waitFor, withNode } from "./_harness.ts";

test("a broken manifest is skipped with a log line naming the file and problem; the good one runs", () =>
  withNode("broken", 18311, async ({ node, manifests, kubelet }) => {
    await writeFile(
      `${manifests}/a-bad-yaml.yaml`,
      "apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n",
    );
    await writeFile(
      `${manifests}/b-wrong-kind.yaml`,
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n",
    );
    await writeFile(
      `${manifests}/c-no-containers.yaml`,
      "apiVersion: v1\nkind: Pod\nmetadata: {name: empty}\nspec: {containers: []}\n",
    );
    await writeFile(
      `${manifests}/d-missing-volume.yaml`,
      busyboxPod("novol", "sleep 1000").replace(
        'command: ["sh"',
        'volumeMounts: [{name: logs, mountPath: /logs}]\n    command: ["sh"',
      ),
    );
    await writeFile(`${manifests}/e-good.yaml`, busyboxPod("good", "sleep 1000"));
    await writeFile(`${manifests}/.hidden.yaml`, busyboxPod("hidden", "sleep 1000"));
    await writeFile(`${manifests}/e-good.yaml~`, busyboxPod("backup", "sleep 1000"));
    await waitFor(
      "the good pod running",
      async () => (await getPod(kubelet.port, `good-${node}`))?.status?.phase === "Running",
    );
    const logs = kubelet.messages();
    assert.match(logs, /a-bad-yaml\.yaml.*(YAML|yaml|flow|unclosed|Unexpected)/i);
    assert.match(logs, /b-wrong-kind\.yaml.*kind: expected Pod, got Deployment/);
    assert.match(logs, /c-no-containers\.yaml.*spec\.containers: Required value/);
    assert.match(logs, /d-missing-volume\.yaml.*volumeMounts\[0\]\.name: Not found: "logs"/);
    const names = await nodeContainers(node);
    assert.equal(names.length, 2, `only the good pod runs: ${names}`);
    assert.ok(names.every((n) => n.includes(`_good-${node}_`)));
  }));

test("an edited manifest replaces its pod: old containers go, new ones start under a new UID", () =>
  withNode("edit", 18312, async ({ node, port, manifests }) => {
    await writeFile(`${manifests}/web.yaml`, busyboxPod("web", "echo v1; sleep 1000"));
    const before = await waitFor("v1 running", async () => {
      const p = await getPod(port, `web-${node}`);
      return p?.status?.phase === "Running" && p;
    });
    // Editors write a new file and rename it over the old one.
    await writeFile(`${manifests}/.web.yaml.swp`, busyboxPod("web", "echo v2; sleep 1000"));
    await rename(`${manifests}/.web.yaml.swp`, `${manifests}/web.yaml`);
    const after = await waitFor("v2 running under a new UID", async () => {
      const p = await getPod(port, `web-${node}`);
      return p?.metadata.uid !== before.metadata.uid && p?.status?.phase === "Running" && p;
    }, { timeoutMs: 30_000 });
    const names = await waitFor("only the new pod's containers", async () => {
      const n = await nodeContainers(node, true);
      return n.length === 2 && n;
    });
    assert.ok(names.every((n) => n.includes(after.metadata.uid!)), `${names}`);
  }));

test("a container that exits is restarted under restartPolicy Always, and /pods counts the restart", () =>
  withNode("restart", 18313, async ({ node, port, manifests }) => {
    await writeFile(`${manifests}/crash.yaml`, busyboxPod("crash", "sleep 1; exit 3"));
    const pod = await waitFor("a restart counted", async () => {
      const p = await getPod(port, `crash-${node}`);
      return (p?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && p;
    }, { timeoutMs: 20_000 });
    const s = pod.status!.containerStatuses![0];
    const last = s.lastState.terminated ?? s.state.terminated;
    assert.equal(last?.exitCode, 3);
    assert.equal(last?.reason, "Error");
  }));
