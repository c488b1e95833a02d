import { test } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, podRef } from "../../src/events/event_recorder.ts";
import type { Pod } from "../../src/api/types.ts";

const pod: Pod = {
  metadata: { name: "web-n1", namespace: "default", uid: "u1" },
  spec: {
    containers: [{ name: "app", image: "busybox" }],
    initContainers: [{ name: "init", image: "busybox" }],
  },
};

function clock(start = Date.parse("2026-01-01T00:00:00Z")) {
  let t = start;
  return { now: () => new Date(t), tick: (ms: number) => (t += ms) };
}

test("podRef points at a container by its field path", () => {
  assert.equal(podRef(pod, { name: "app" }).fieldPath, "spec.containers{app}");
  assert.equal(podRef(pod, { name: "init", init: true }).fieldPath, "spec.initContainers{init}");
  assert.equal(podRef(pod).fieldPath, undefined);
  assert.deepEqual(
    { kind: podRef(pod).kind, ns: podRef(pod).namespace, uid: podRef(pod).uid },
    { kind: "Pod", ns: "default", uid: "u1" },
  );
});

test("a repeated event is folded into one with a count and first and last timestamps", () => {
  const c = clock();
  const r = new EventRecorder("n1", 10, c.now);
  r.event(podRef(pod, { name: "app" }), "Warning", "BackOff", "Back-off restarting failed container app");
  c.tick(5000);
  r.event(podRef(pod, { name: "app" }), "Warning", "BackOff", "Back-off restarting failed container app");
  const [e] = r.list();
  assert.equal(r.list().length, 1);
  assert.equal(e.count, 2);
  assert.equal(e.firstTimestamp, "2026-01-01T00:00:00.000Z");
  assert.equal(e.lastTimestamp, "2026-01-01T00:00:05.000Z");
  assert.equal(e.type, "Warning");
  assert.deepEqual(e.source, { component: "kubelet", host: "n1" });
  assert.equal(e.metadata.namespace, "default");
  assert.ok(e.metadata.name.startsWith("web-n1."));
});

test("events differing in reason, message or container are kept apart", () => {
  const r = new EventRecorder("n1");
  r.event(podRef(pod, { name: "app" }), "Normal", "Created", "Created container app");
  r.event(podRef(pod, { name: "app" }), "Normal", "Started", "Started container app");
  r.event(podRef(pod, { name: "init", init: true }), "Normal", "Started", "Started container init");
  assert.deepEqual(r.list().map((e) => e.reason), ["Created", "Started", "Started"]);
  assert.equal(new Set(r.list().map((e) => e.metadata.name)).size, 3);
});

test("the ring keeps the newest events, dropping the least recently seen", () => {
  const r = new EventRecorder("n1", 2);
  r.event(podRef(pod), "Normal", "A", "a");
  r.event(podRef(pod), "Normal", "B", "b");
  r.event(podRef(pod), "Normal", "A", "a");
  r.event(podRef(pod), "Normal", "C", "c");
  assert.deepEqual(r.list().map((e) => [e.reason, e.count]), [["A", 2], ["C", 1]]);
});

test("generation grows with each recorded event", () => {
  const r = new EventRecorder("n1");
  const g = r.generation;
  r.event(podRef(pod), "Normal", "A", "a");
  r.event(podRef(pod), "Normal", "A", "a");
  assert.equal(r.generation, g + 2);
});

test("a hostile, huge message is cut", () => {
  const r = new EventRecorder("n1");
  r.event(podRef(pod), "Warning", "Failed", "x".repeat(100_000));
  assert.ok(r.list()[0].message.length <= 1024);
});
