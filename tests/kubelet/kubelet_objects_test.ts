/**
 * The sync loop with ConfigMaps from the sources, against the in-memory
 * Engine: a pod whose ConfigMap is missing waits with
 * CreateContainerConfigError, and the snapshot that adds the ConfigMap syncs
 * the pod again at once (no resync tick: it is a minute away).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeEngine } from "./_fake_engine.ts";
import { Kubelet } from "../../src/kubelet/kubelet.ts";
import { createLogger } from "../../src/log.ts";
import { platform } from "../../src/platform/mod.ts";
import { readFileSource } from "../../src/config/file_source.ts";

async function until(what: string, fn: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const POD = `apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    env:
    - name: MODE
      valueFrom: {configMapKeyRef: {name: settings, key: mode}}
`;

test("a pod waiting for a missing ConfigMap is synced again, and started, by the snapshot that adds it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kubelet-objects-"));
  const engine = new FakeEngine();
  const logs: string[] = [];
  const kubelet = new Kubelet(
    {
      nodeName: "unit",
      rootDir: `${dir}/root`,
      podInfraContainerImage: "pause:1",
      syncFrequencyMs: 60_000,
      relistPeriodMs: 50,
      eventedRelistPeriodMs: 50,
    },
    platform,
    engine.client(),
    createLogger({ write: (line) => void logs.push(line) }),
  );
  try {
    const manifests = join(dir, "manifests");
    await platform.mkdir(manifests, { mode: 0o755 });
    await writeFile(`${manifests}/app.yaml`, POD);
    const read = () => readFileSource(platform, manifests, { nodeName: "unit" });
    const waiting = () => kubelet.podList().items[0]?.status?.containerStatuses?.[0]?.state.waiting;
    await kubelet.start();
    kubelet.applySnapshot(await read());
    await until("CreateContainerConfigError", () => waiting()?.reason === "CreateContainerConfigError");
    assert.equal(waiting()?.message, 'configmap "settings" not found');
    assert.equal(kubelet.objects.configMap("default", "settings"), undefined);
    // Let the PLEG see what the failed sync made (the infra container), so that no relist event
    // is left to sync the pod: only the snapshot's own re-dispatch may start it now.
    const lists = () => engine.calls.filter((c) => c.startsWith("GET /containers/json")).length;
    const seen = lists();
    await until("three more relists", () => lists() >= seen + 3);
    assert.equal(waiting()?.reason, "CreateContainerConfigError");

    await writeFile(
      `${manifests}/settings.yaml`,
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n",
    );
    kubelet.applySnapshot(await read());
    assert.deepEqual(kubelet.objects.configMap("default", "settings")?.data, { mode: "fast" });
    await until("the container running", () => engine.names("running").some((n) => n.includes("main_app")));
    const main = [...engine.containers.values()].find((c) => c.Names[0].includes("main_app"))!;
    assert.ok((main.body.Env as string[]).includes("MODE=fast"));
  } catch (error) {
    console.error(logs.join("\n"));
    throw error;
  } finally {
    await kubelet.stop({ waitMs: 0 });
    await rm(dir, { recursive: true, force: true });
  }
});
