/**
 * The sync loop against an in-memory Engine that never answers one pod's
 * container create: a case the real Engine cannot be made to show on
 * demand. The stuck pod's worker never finishes, and every other pod is
 * added and removed meanwhile.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeEngine } from "./_fake_engine.ts";
import * as L from "../../src/runtime/labels.ts";
import { Kubelet, type KubeletConfig } from "../../src/kubelet/kubelet.ts";
import { containerStartLimit } from "../../src/runtime/execute.ts";
import { createLogger } from "../../src/log.ts";
import { platform } from "../../src/platform/mod.ts";
import { readFileSource } from "../../src/config/file_source.ts";

const pod = (name: string) =>
  `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers: [{name: main, image: busybox, imagePullPolicy: IfNotPresent}]
`;

async function until(what: string, fn: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("the sync loop adds and removes pods while another pod's worker is stuck in an Engine call that never answers", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kubelet-loop-"));
  const engine = new FakeEngine();
  const docker = engine.client();
  const logs: string[] = [];
  const log = createLogger({ write: (line) => void logs.push(line) });
  const kubelet = new Kubelet(
    { nodeName: "unit", rootDir: `${dir}/root`, podInfraContainerImage: "pause:1", syncFrequencyMs: 60_000 },
    platform,
    docker,
    log,
  );
  try {
    const manifests = join(dir, "manifests");
    await platform.mkdir(manifests, { mode: 0o755 });
    await kubelet.start();
    const read = () => readFileSource(platform, manifests, { nodeName: "unit" });

    await writeFile(`${manifests}/hang.yaml`, pod("hang"));
    assert.equal(kubelet.applySnapshot(await read()), undefined, "handing over returns at once");
    await until(
      "the stuck pod's infra container",
      () => engine.names("running").some((n) => n.includes("POD_hang")),
    );

    await writeFile(`${manifests}/web.yaml`, pod("web"));
    kubelet.applySnapshot(await read());
    await until(
      "pod web's container running",
      () => engine.names("running").some((n) => n.includes("main_web")),
    );
    assert.ok(!engine.names().some((n) => n.includes("main_hang")), "the stuck pod's create never answered");

    await rm(`${manifests}/web.yaml`);
    kubelet.applySnapshot(await read());
    await until("pod web's containers removed", () => !engine.names().some((n) => n.includes("_web-unit_")));
    assert.ok(kubelet.podList().items.some((p) => p.metadata.name === "hang-unit"));
  } catch (error) {
    console.error(logs.join("\n"));
    throw error;
  } finally {
    // The stuck call is abandoned, not awaited: stopping must not wait out its deadline.
    await kubelet.stop({ waitMs: 0 });
    await rm(dir, { recursive: true, force: true });
  }
});

/** A silent kubelet of node `unit` on `engine`, rooted in `dir`, with `config` over the defaults. */
function kubeletOn(engine: FakeEngine, dir: string, config: Partial<KubeletConfig>): Kubelet {
  return new Kubelet(
    {
      nodeName: "unit",
      rootDir: `${dir}/root`,
      podInfraContainerImage: "pause:1",
      syncFrequencyMs: 60_000,
      ...config,
    },
    platform,
    engine.client(),
    createLogger({ write: () => {} }),
  );
}

/** A kubelet on `engine` with a manifest directory holding `pods`; `run` gets both. */
async function withKubelet(
  engine: FakeEngine,
  pods: string[],
  run: (kubelet: Kubelet, read: () => ReturnType<typeof readFileSource>, logs: string[]) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "kubelet-loop-"));
  const logs: string[] = [];
  const kubelet = new Kubelet(
    { nodeName: "unit", rootDir: `${dir}/root`, podInfraContainerImage: "pause:1", syncFrequencyMs: 60_000 },
    platform,
    engine.client(),
    createLogger({ write: (line) => void logs.push(line) }),
  );
  try {
    const manifests = join(dir, "manifests");
    await platform.mkdir(manifests, { mode: 0o755 });
    for (const name of pods) await writeFile(`${manifests}/${name}.yaml`, pod(name));
    const read = () => readFileSource(platform, manifests, { nodeName: "unit" });
    await run(kubelet, read, logs);
  } catch (error) {
    console.error(logs.join("\n"));
    throw error;
  } finally {
    await kubelet.stop({ waitMs: 0 });
    await rm(dir, { recursive: true, force: true });
  }
}

test("a sync whose Engine call fails is retried after its backoff, and the pod then runs", async () => {
  const engine = new FakeEngine();
  let creates = 0;
  engine.intercept = (method, path) =>
    method === "POST" && path === "/containers/create" && ++creates === 1
      ? new Response(JSON.stringify({ message: "engine hiccup" }), { status: 500 })
      : undefined;
  await withKubelet(engine, ["web"], async (kubelet, read, logs) => {
    await kubelet.start();
    kubelet.applySnapshot(await read());
    await until("pod web running after the retry", () => engine.names("running").length === 2, 10_000);
    assert.ok(
      logs.some((l) => /sync failed.*POST \/containers\/create.*engine hiccup/.test(l)),
      logs.join("\n"),
    );
  });
});

test("a pod left half-created (infra container created, never started) is brought up in a new infra container", async () => {
  const engine = new FakeEngine();
  await withKubelet(engine, ["web"], async (kubelet, read) => {
    const snapshot = await read();
    const pod = snapshot.pods[0].pod;
    const ref = { name: pod.metadata.name!, namespace: pod.metadata.namespace!, uid: pod.metadata.uid! };
    const leftover = engine.add(L.dockerContainerName("POD", ref, 0), {
      ...L.podLabels("unit", ref, 30),
      [L.LABEL_TYPE]: "podsandbox",
      [L.LABEL_CONTAINER_NAME]: "POD",
      [L.LABEL_ATTEMPT]: "0",
    });
    await kubelet.start();
    kubelet.applySnapshot(snapshot);
    await until("pod web running", () => engine.names("running").length === 2);
    await until("the half-created infra container removed", () => !engine.containers.has(leftover));
    assert.deepEqual(engine.names().sort(), engine.names("running").sort(), "nothing half-made is left");
  });
});

test("the relist is a slow safety net while the event stream is open, every relistPeriodMs while it is closed, and runs at once when it opens", async () => {
  const engine = new FakeEngine();
  let eventsDown = true;
  let relists = 0;
  let opened = 0;
  engine.intercept = (_method, path, url) => {
    if (path === "/events") {
      if (eventsDown) return new Response(JSON.stringify({ message: "events unavailable" }), { status: 500 });
      opened++;
    }
    if (
      path === "/containers/json" && JSON.parse(url.searchParams.get("filters") ?? "{}").label?.length === 1
    ) {
      relists++;
    }
    return undefined;
  };
  const dir = await mkdtemp(join(tmpdir(), "kubelet-relist-"));
  const kubelet = kubeletOn(engine, dir, {
    syncFrequencyMs: 60_000,
    relistPeriodMs: 50,
    eventedRelistPeriodMs: 3_600_000,
  });
  try {
    await kubelet.start();
    // Closed: the stream failed, so the Engine is relisted every 50 ms.
    const closedStart = relists;
    await until("five relists while the stream is closed", () => relists >= closedStart + 5);
    // Open (the follower reconnects after its 1 s backoff): one relist at once, then none for an hour.
    eventsDown = false;
    const beforeOpen = relists;
    await until("the stream opened", () => opened === 1);
    await until("the relist that follows the opening", () => relists > beforeOpen);
    const afterOpen = relists;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(relists, afterOpen, "no relist on the 50 ms period while the stream is open");
  } finally {
    await kubelet.stop({ waitMs: 0 });
    await rm(dir, { recursive: true, force: true });
  }
});

test("a pod start inspects no infra image; one gone since the Engine was reached (the create's 404) is made again", async () => {
  const engine = new FakeEngine();
  let sandboxCreates = 0;
  engine.intercept = (method, path, url) =>
    method === "POST" && path === "/containers/create" &&
      url.searchParams.get("name")!.startsWith("k8s_POD_") &&
      ++sandboxCreates === 2
      ? new Response(JSON.stringify({ message: "No such image: pause:1" }), { status: 404 })
      : undefined;
  await withKubelet(engine, ["web", "db"], async (kubelet, read) => {
    await kubelet.start();
    const pauseInspects = () => engine.calls.filter((c) => c === "GET /images/pause:1/json").length;
    assert.equal(pauseInspects(), 1, "made present once, when the Engine was first reached");
    const snapshot = await read();
    kubelet.applySnapshot({
      ...snapshot,
      pods: snapshot.pods.filter((p) => p.pod.metadata.name === "db-unit"),
    });
    await until("pod db running", () => engine.names("running").length === 2);
    assert.equal(pauseInspects(), 1, "no inspect of the infra image for a pod start");
    kubelet.applySnapshot(snapshot);
    await until("pod web running after its infra create's 404", () => engine.names("running").length === 4);
    assert.equal(pauseInspects(), 2, "the 404 made the infra image present again");
    assert.equal(sandboxCreates, 3);
  });
});

test("a periodic resync takes each pod's containers from the PLEG's last relist, and lists a pod again once an event of it came or the stream dropped", async () => {
  const engine = new FakeEngine();
  /** Lists of one pod's containers, by pod name. */
  const podLists = new Map<string, number>();
  let streams = 0;
  engine.intercept = (_method, path, url) => {
    const labels: string[] = JSON.parse(url.searchParams.get("filters") ?? "{}").label ?? [];
    const name = labels.find((l) => l.startsWith(`${L.LABEL_POD_NAME}=`))?.split("=")[1];
    if (path === "/containers/json" && name) podLists.set(name, (podLists.get(name) ?? 0) + 1);
    if (path === "/events") streams++;
    return undefined;
  };
  const dir = await mkdtemp(join(tmpdir(), "kubelet-resync-"));
  // The only relist is the one at each opening of the stream: the test decides when.
  const kubelet = kubeletOn(engine, dir, {
    syncFrequencyMs: 100,
    relistPeriodMs: 2_000, // longer than the stream's 1 s reconnect: no relist while it is closed
    eventedRelistPeriodMs: 3_600_000,
  });
  const manifests = join(dir, "manifests");
  const lists = () => ({ web: podLists.get("web-unit") ?? 0, db: podLists.get("db-unit") ?? 0 });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Drops the stream; resolves once it opened again (the follower waits 1 s) and the relist then ran. */
  const reopen = async () => {
    const opened = streams;
    engine.dropEvents();
    await until("the stream open again", () => streams > opened, 5_000);
    await sleep(300);
  };
  try {
    await platform.mkdir(manifests, { mode: 0o755 });
    for (const name of ["web", "db"]) await writeFile(`${manifests}/${name}.yaml`, pod(name));
    await kubelet.start();
    kubelet.applySnapshot(await readFileSource(platform, manifests, { nodeName: "unit" }));
    await until("both pods running", () => engine.names("running").length === 4);
    await sleep(300);
    // The relist at the stream's next opening comes after the pods' last changes: from then on,
    // resyncs (every 100 ms) list nothing.
    await reopen();
    const settled = lists();
    await sleep(600);
    assert.deepEqual(lists(), settled, "about six resyncs of each pod, none listing its containers");

    // An event of web's container (an exec, say: nothing to sync for) makes the view stale for web only.
    const webMain = [...engine.containers.values()].find((c) => c.Names[0].includes("main_web"))!;
    engine.event(webMain.Id, "exec_create: sh");
    await until("web listed again by a resync", () => lists().web > settled.web, 2_000);
    await sleep(300);
    assert.equal(lists().db, settled.db, "db still synced from the relist");

    // A stream that dropped may have missed events: until it opens again, resyncs list every pod.
    const beforeDrop = lists();
    const opened = streams;
    engine.dropEvents();
    await until("both pods listed by resyncs while the stream is closed", () => {
      const now = lists();
      return now.web > beforeDrop.web && now.db > beforeDrop.db;
    }, 3_000);
    assert.equal(streams, opened, "listed before the stream opened again");
  } finally {
    await kubelet.stop({ waitMs: 0 });
    await rm(dir, { recursive: true, force: true });
  }
});

test("container creates and starts of a burst of pods take turns: at most containerStartLimit in flight at once", async () => {
  const engine = new FakeEngine();
  const limit = containerStartLimit(globalThis.navigator?.hardwareConcurrency ?? 1);
  let inFlight = 0, most = 0;
  const answer = engine.fetch;
  engine.fetch = async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method !== "POST" || !/\/containers\/(create|[^/]+\/start)$/.test(path)) return await answer(req);
    most = Math.max(most, ++inFlight);
    try {
      await new Promise((r) => setTimeout(r, 5));
      return await answer(req);
    } finally {
      inFlight--;
    }
  };
  const names = [...Array(3 * limit).keys()].map((i) => `p${i}`);
  await withKubelet(engine, names, async (kubelet, read) => {
    await kubelet.start();
    kubelet.applySnapshot(await read());
    await until("every pod running", () => engine.names("running").length === 2 * names.length, 20_000);
    assert.equal(most, limit, `at most ${limit} at once, and that many used`);
  });
});

test("a resync handed a relist older than the pod's own last changes lists the pod, even while their events lag", async () => {
  const engine = new FakeEngine();
  engine.eventDelayMs = 1_500;
  const dir = await mkdtemp(join(tmpdir(), "kubelet-resync-lag-"));
  const kubelet = kubeletOn(engine, dir, {
    syncFrequencyMs: 100,
    relistPeriodMs: 50,
    eventedRelistPeriodMs: 3_600_000,
  });
  const manifests = join(dir, "manifests");
  try {
    await platform.mkdir(manifests, { mode: 0o755 });
    await writeFile(`${manifests}/web.yaml`, pod("web"));
    // The stream opens and the relist at once finds no pod: that view is what the resyncs are handed.
    await kubelet.start();
    kubelet.applySnapshot(await readFileSource(platform, manifests, { nodeName: "unit" }));
    await until("pod web running", () => engine.names("running").length === 2);
    // About ten resyncs while the start events are still on their way: none may believe the old view.
    await new Promise((r) => setTimeout(r, 1_000));
    assert.deepEqual(engine.names().length, 2, engine.names().join(", "));
  } finally {
    await kubelet.stop({ waitMs: 0 });
    await rm(dir, { recursive: true, force: true });
  }
});
