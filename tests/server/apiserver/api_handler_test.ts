import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod, PodList } from "../../../src/api/types.ts";
import { createStatusHandler } from "../../../src/server/handler.ts";
import { EventRecorder, podRef } from "../../../src/events/event_recorder.ts";
import { LogRequestError } from "../../../src/server/container_logs.ts";
import { facts, MACHINE, runningPod } from "./_fixtures.ts";
import type { Node } from "../../../src/server/apiserver/node.ts";

const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

function setup() {
  let pods: Pod[] = [
    runningPod("web-n1", "web"),
    runningPod("db-n1", "db"),
    runningPod("x-n1", "web", 0, "kube-system"),
  ];
  const events = new EventRecorder("n1");
  const abort = new AbortController();
  const logs: string[] = [];
  const handler = createStatusHandler({
    nodeName: "n1",
    podList: (): PodList => ({ apiVersion: "v1", kind: "PodList", metadata: {}, items: pods }),
    machineSpec: () => Promise.resolve(MACHINE),
    nodeFacts: () => Promise.resolve(facts()),
    events,
    signal: abort.signal,
    arch: "amd64",
    containerLogs: (target, query) => {
      logs.push(`${target.namespace}/${target.pod}/${target.container}?${query}`);
      if (query.get("previous") === "true") {
        return Promise.reject(
          new LogRequestError(400, `previous terminated container "app" in pod "web-n1" not found`),
        );
      }
      return Promise.resolve(new Response("line\n").body!);
    },
  });
  const get = (path: string, accept?: string, method = "GET") =>
    handler(new Request(`http://127.0.0.1:10255${path}`, { method, headers: accept ? { accept } : {} }));
  return { get, events, abort, logs, setPods: (p: Pod[]) => (pods = p) };
}

test("discovery: /version, /api, /api/v1 naming read-only verbs, and an empty /apis", async () => {
  const { get } = setup();
  const version = await (await get("/version")).json();
  assert.match(version.gitVersion, /^v1\.\d+\.0\+standalone\./);
  assert.deepEqual((await (await get("/api")).json()).versions, ["v1"]);
  const resources = (await (await get("/api/v1")).json()).resources;
  assert.deepEqual(resources.map((r: { name: string }) => r.name), [
    "events",
    "namespaces",
    "nodes",
    "pods",
    "pods/log",
  ]);
  for (const r of resources) assert.ok(r.verbs.every((v: string) => ["get", "list", "watch"].includes(v)));
  assert.deepEqual((await (await get("/apis")).json()).groups, []);
});

test("pod lists across namespaces, in one namespace, and by label and field selector", async () => {
  const { get } = setup();
  const names = async (path: string) =>
    (await (await get(path)).json()).items.map((p: Pod) => p.metadata.name);
  assert.deepEqual(await names("/api/v1/pods"), ["web-n1", "db-n1", "x-n1"]);
  assert.deepEqual(await names("/api/v1/namespaces/kube-system/pods"), ["x-n1"]);
  assert.deepEqual(await names("/api/v1/pods?labelSelector=app%3Dweb"), ["web-n1", "x-n1"]);
  assert.deepEqual(await names("/api/v1/pods?labelSelector=app+in+(db)"), ["db-n1"]);
  assert.deepEqual(
    await names("/api/v1/pods?fieldSelector=metadata.namespace%3Ddefault,status.phase%3DRunning"),
    [
      "web-n1",
      "db-n1",
    ],
  );
  assert.deepEqual(await names("/api/v1/pods?fieldSelector=status.phase!%3DRunning"), []);
});

test("a PodList carries a resourceVersion, each pod its own, and a creation time", async () => {
  const { get } = setup();
  const list = await (await get("/api/v1/pods")).json();
  assert.equal(list.kind, "PodList");
  assert.match(list.metadata.resourceVersion, /^\d+$/);
  for (const p of list.items) {
    assert.ok(Number(p.metadata.resourceVersion) <= Number(list.metadata.resourceVersion));
    assert.equal(p.metadata.creationTimestamp, "2026-01-01T00:00:00Z");
  }
});

test("a pod by name, and NotFound as a Status", async () => {
  const { get } = setup();
  assert.equal(
    (await (await get("/api/v1/namespaces/default/pods/web-n1")).json()).metadata.uid,
    "uid-web-n1",
  );
  const missing = await get("/api/v1/namespaces/default/pods/nope");
  assert.equal(missing.status, 404);
  const s = await missing.json();
  assert.deepEqual([s.kind, s.reason, s.message], ["Status", "NotFound", 'pods "nope" not found']);
  assert.equal((await get("/api/v1/namespaces/kube-system/pods/web-n1")).status, 404);
});

test("writes answer 405 MethodNotAllowed as a Status and change nothing", async () => {
  const { get } = setup();
  for (const method of ["DELETE", "POST", "PUT", "PATCH"]) {
    const r = await get("/api/v1/namespaces/default/pods/web-n1", undefined, method);
    assert.equal(r.status, 405);
    const s = await r.json();
    assert.equal(s.reason, "MethodNotAllowed");
    assert.match(s.message, /is not supported on resources of kind "pods"/);
  }
  assert.equal((await (await get("/api/v1/pods")).json()).items.length, 3);
});

test("exec, attach, port-forward, proxy and secrets are not served", async () => {
  const { get } = setup();
  for (
    const path of [
      "/api/v1/namespaces/default/pods/web-n1/exec",
      "/api/v1/namespaces/default/pods/web-n1/attach",
      "/api/v1/namespaces/default/pods/web-n1/portforward",
      "/api/v1/namespaces/default/pods/web-n1/proxy",
      "/api/v1/namespaces/default/secrets",
      "/apis/apps/v1/deployments",
    ]
  ) {
    const r = await get(path);
    assert.equal(r.status, 404, path);
    assert.equal((await r.json()).kind, "Status");
  }
});

test("a selector that does not parse, or an unsupported field, answers 400 BadRequest", async () => {
  const { get } = setup();
  for (const q of ["labelSelector=app%3D%3D%3D", "fieldSelector=spec.nope%3Dx"]) {
    const r = await get(`/api/v1/pods?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal((await r.json()).reason, "BadRequest");
  }
});

test("Accept as=Table answers a Table of the selected pods", async () => {
  const { get } = setup();
  const t = await (await get("/api/v1/namespaces/default/pods?labelSelector=app%3Dweb", TABLE)).json();
  assert.equal(t.kind, "Table");
  assert.deepEqual(t.rows.map((r: { cells: string[] }) => r.cells[0]), ["web-n1"]);
  const one = await (await get("/api/v1/namespaces/default/pods/db-n1", TABLE)).json();
  assert.deepEqual(one.rows.map((r: { cells: string[] }) => r.cells.slice(0, 3)), [[
    "db-n1",
    "1/1",
    "Running",
  ]]);
});

/** Reads watch lines until `n` events arrived. */
async function readEvents(body: ReadableStream<Uint8Array>, n: number) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const events: { type: string; object: Record<string, unknown> }[] = [];
  while (events.length < n) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const lines = text.split("\n");
    text = lines.pop()!;
    for (const l of lines) if (l.trim()) events.push(JSON.parse(l));
  }
  await reader.cancel();
  return events;
}

test("a watch from the list's resourceVersion streams the pod's changes", async () => {
  const { get, setPods } = setup();
  const list = await (await get("/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dweb-n1"))
    .json();
  const r = await get(
    `/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dweb-n1&watch=true&resourceVersion=${list.metadata.resourceVersion}`,
  );
  assert.equal(r.status, 200);
  setPods([runningPod("web-n1", "web", 1), runningPod("db-n1", "db", 1)]);
  const events = await readEvents(r.body!, 1);
  assert.equal(events[0].type, "MODIFIED");
  const pod = events[0].object as unknown as Pod;
  assert.equal(pod.metadata.name, "web-n1");
  assert.equal(pod.status!.containerStatuses![0].restartCount, 1);
  assert.ok(Number(pod.metadata.resourceVersion) > Number(list.metadata.resourceVersion));
});

test("a Table watch sends each event's object as a one-row Table", async () => {
  const { get } = setup();
  const r = await get("/api/v1/pods?watch=true&labelSelector=app%3Ddb", TABLE);
  const [e] = await readEvents(r.body!, 1);
  assert.equal(e.type, "ADDED");
  assert.equal(e.object.kind, "Table");
  assert.equal((e.object.rows as { cells: string[] }[])[0].cells[0], "db-n1");
});

test("a watch from a too-old resourceVersion gets the 410 Expired ERROR event", async () => {
  const { get } = setup();
  const r = await get("/api/v1/pods?watch=true&resourceVersion=1");
  const [e] = await readEvents(r.body!, 1);
  assert.equal(e.type, "ERROR");
  assert.equal(e.object.code, 410);
  assert.equal(e.object.reason, "Expired");
});

test("stopping the kubelet ends every open watch", async () => {
  const { get, abort } = setup();
  const r = await get("/api/v1/pods?watch=true");
  abort.abort();
  const events = await readEvents(r.body!, 100);
  assert.equal(events.length, 3);
});

test("logs: the only container is the default; options pass through; refusals are Statuses", async () => {
  const { get, logs } = setup();
  const r = await get("/api/v1/namespaces/default/pods/web-n1/log?tailLines=2&follow=true");
  assert.equal(r.status, 200);
  assert.equal(await r.text(), "line\n");
  assert.equal(logs[0], "default/web-n1/app?tailLines=2&follow=true");
  const prev = await get("/api/v1/namespaces/default/pods/web-n1/log?previous=true");
  assert.equal(prev.status, 400);
  assert.match((await prev.json()).message, /previous terminated container/);
  const missing = await get("/api/v1/namespaces/default/pods/nope/log");
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).message, 'pods "nope" not found');
});

test("events: the recorder's events, selected by involvedObject fields", async () => {
  const { get, events } = setup();
  events.event(podRef(runningPod("web-n1"), { name: "app" }), "Normal", "Started", "Started container app");
  events.event(podRef(runningPod("db-n1"), { name: "app" }), "Warning", "BackOff", "Back-off");
  const all = await (await get("/api/v1/events")).json();
  assert.equal(all.kind, "EventList");
  assert.equal(all.items.length, 2);
  const mine = await (await get(
    "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb-n1,involvedObject.namespace%3Ddefault,involvedObject.uid%3Duid-web-n1",
  )).json();
  assert.deepEqual(mine.items.map((e: { reason: string }) => e.reason), ["Started"]);
});

test("nodes: the Node by name, a Table of it, and NotFound for another name", async () => {
  const { get } = setup();
  const list = await (await get("/api/v1/nodes")).json();
  assert.equal(list.kind, "NodeList");
  assert.equal(list.items[0].metadata.name, "n1");
  const node = await (await get("/api/v1/nodes/n1")).json();
  assert.equal(node.status.nodeInfo.containerRuntimeVersion, "docker://20.10.24");
  assert.equal(node.status.conditions.find((c: { type: string }) => c.type === "Ready").status, "True");
  const t = await (await get("/api/v1/nodes", TABLE)).json();
  assert.equal(t.rows[0].cells[1], "Ready");
  assert.equal((await get("/api/v1/nodes/other")).status, 404);
});

test("namespaces: the ones the pods use, and default", async () => {
  const { get } = setup();
  const list = await (await get("/api/v1/namespaces")).json();
  assert.deepEqual(list.items.map((n: { metadata: { name: string } }) => n.metadata.name), [
    "default",
    "kube-system",
  ]);
  assert.equal((await (await get("/api/v1/namespaces/kube-system")).json()).status.phase, "Active");
  assert.equal((await get("/api/v1/namespaces/nope")).status, 404);
});

test("the status server's own endpoints stay as they were", async () => {
  const { get } = setup();
  const pods = await (await get("/pods")).json();
  assert.equal(pods.items.length, 3);
  assert.equal(pods.items[0].metadata.resourceVersion, undefined);
  assert.equal(await (await get("/healthz")).text(), "ok");
  const r = await get("/pods", undefined, "DELETE");
  assert.equal(r.status, 405);
});

test("a node watch sees the node turn NotReady when a health check fails", async () => {
  let failing: string | undefined = undefined;
  const abort = new AbortController();
  const handler = createStatusHandler({
    nodeName: "n1",
    podList: (): PodList => ({ apiVersion: "v1", kind: "PodList", metadata: {}, items: [] }),
    machineSpec: () => Promise.resolve(MACHINE),
    nodeFacts: () => Promise.resolve(facts()),
    healthChecks: [{ name: "syncloop", check: () => failing }],
    signal: abort.signal,
  });
  const get = (path: string) => handler(new Request(`http://127.0.0.1:10255${path}`));
  const list = await (await get("/api/v1/nodes")).json();
  const r = await get(`/api/v1/nodes?watch=true&resourceVersion=${list.metadata.resourceVersion}`);
  failing = "no sync pass for 5m";
  const [e] = await readEvents(r.body!, 1);
  abort.abort();
  assert.equal(e.type, "MODIFIED");
  const ready = (e.object as unknown as Node).status.conditions.find((c) => c.type === "Ready")!;
  assert.deepEqual([ready.status, ready.reason, ready.message], [
    "False",
    "KubeletNotReady",
    "syncloop: no sync pass for 5m",
  ]);
});
