import { test } from "node:test";
import assert from "node:assert/strict";
import { eventTable, nodeTable, podTable, wantsTable } from "../../../src/server/apiserver/table.ts";
import { buildNode } from "../../../src/server/apiserver/node.ts";
import { EventRecorder, podRef } from "../../../src/events/event_recorder.ts";
import { facts, runningPod } from "./_fixtures.ts";

const NOW = new Date("2026-01-01T00:05:00Z");

test("wantsTable recognises kubectl's Accept header and nothing else", () => {
  assert.equal(
    wantsTable(
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
    ),
    true,
  );
  assert.equal(wantsTable("application/json"), false);
  assert.equal(wantsTable(null), false);
});

test("podTable has kubectl's columns, the wide ones at priority 1, and a row per pod", () => {
  const t = podTable([runningPod("web-n1")], NOW);
  assert.equal(t.kind, "Table");
  assert.equal(t.apiVersion, "meta.k8s.io/v1");
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.priority]), [
    ["Name", 0],
    ["Ready", 0],
    ["Status", 0],
    ["Restarts", 0],
    ["Age", 0],
    ["IP", 1],
    ["Node", 1],
    ["Nominated Node", 1],
    ["Readiness Gates", 1],
  ]);
  assert.deepEqual(t.rows[0].cells, [
    "web-n1",
    "1/1",
    "Running",
    "0",
    "5m",
    "172.17.0.5",
    "n1",
    "<none>",
    "<none>",
  ]);
});

test("a row carries the object's metadata by default, the whole object or nothing on request", () => {
  const pod = runningPod("web-n1");
  assert.deepEqual(podTable([pod], NOW).rows[0].object, {
    kind: "PartialObjectMetadata",
    apiVersion: "meta.k8s.io/v1",
    metadata: pod.metadata,
  });
  assert.equal(podTable([pod], NOW, "Object").rows[0].object, pod);
  assert.equal("object" in podTable([pod], NOW, "None").rows[0], false);
});

test("nodeTable prints STATUS Ready and the wide columns", () => {
  const t = nodeTable([buildNode(facts(), "u", NOW)], NOW);
  assert.deepEqual(t.rows[0].cells, [
    "n1",
    "Ready",
    "<none>",
    "5m",
    "v1.31.0+standalone.0.1.0",
    "192.0.2.2",
    "<none>",
    "Debian GNU/Linux 12 (bookworm)",
    "6.1.0",
    "docker://20.10.24",
  ]);
});

test("eventTable prints LAST SEEN, TYPE, REASON, OBJECT and MESSAGE, with the count among the wide ones", () => {
  const r = new EventRecorder("n1", 10, () => new Date("2026-01-01T00:04:00Z"));
  r.event(podRef(runningPod("web-n1"), { name: "app" }), "Normal", "Started", "Started container app");
  r.event(podRef(runningPod("web-n1"), { name: "app" }), "Normal", "Started", "Started container app");
  const t = eventTable(r.list(), NOW);
  const [lastSeen, type, reason, object, sub, source, message, firstSeen, count] = t.rows[0].cells;
  assert.deepEqual([lastSeen, type, reason, object, sub, source, message, firstSeen, count], [
    "60s",
    "Normal",
    "Started",
    "pod/web-n1",
    "spec.containers{app}",
    "kubelet, n1",
    "Started container app",
    "60s",
    2,
  ]);
});
