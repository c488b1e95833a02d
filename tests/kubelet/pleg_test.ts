import { test } from "node:test";
import assert from "node:assert/strict";
import { relistEvents } from "../../src/kubelet/pleg.ts";
import type { ObservedContainer, ObservedPod } from "../../src/runtime/observed.ts";

function container(id: string, state: ObservedContainer["state"], kind: ObservedContainer["kind"] = "app") {
  return {
    id,
    name: kind === "sandbox" ? "POD" : "main",
    kind,
    podName: "web",
    podNamespace: "default",
    podUid: "u1",
    state,
    createdAt: "2026-11-30T00:00:00Z",
    hash: "h",
    restartCount: 0,
    backoffSeconds: 0,
    attempt: 0,
    image: "busybox",
    imageID: "sha256:0",
    gracePeriodSeconds: 30,
  } satisfies ObservedContainer;
}

function relist(...cs: ObservedContainer[]): Map<string, ObservedPod> {
  const pod: ObservedPod = {
    name: "web",
    namespace: "default",
    sandboxes: cs.filter((c) => c.kind === "sandbox"),
    containers: cs.filter((c) => c.kind !== "sandbox"),
  };
  return cs.length ? new Map([["web_default", pod]]) : new Map();
}

const cases: [string, Map<string, ObservedPod>, Map<string, ObservedPod>, [string, string][]][] = [
  ["nothing changed: no events", relist(container("a", "running")), relist(container("a", "running")), []],
  ["a new running container started", relist(), relist(container("a", "running")), [[
    "ContainerStarted",
    "a",
  ]]],
  ["a running container exited", relist(container("a", "running")), relist(container("a", "exited")), [[
    "ContainerDied",
    "a",
  ]]],
  ["a running container vanished: its exit was missed", relist(container("a", "running")), relist(), [[
    "ContainerDied",
    "a",
  ]]],
  ["an exited container was removed", relist(container("a", "exited")), relist(), [[
    "ContainerRemoved",
    "a",
  ]]],
  ["a container was created, not started", relist(), relist(container("a", "created")), [[
    "ContainerChanged",
    "a",
  ]]],
  [
    "infra containers count like any other",
    relist(container("s", "running", "sandbox")),
    relist(container("s", "exited", "sandbox")),
    [["ContainerDied", "s"]],
  ],
  [
    "a restart: the old one died, the new one started",
    relist(container("a", "running")),
    relist(container("a", "exited"), container("b", "running")),
    [["ContainerDied", "a"], ["ContainerStarted", "b"]],
  ],
];

for (const [name, before, after, want] of cases) {
  test(`relistEvents: ${name}`, () => {
    const events = relistEvents(before, after);
    assert.deepEqual(events.map((e) => [e.type, e.containerId]), want);
    assert.ok(events.every((e) => e.pod === "web_default"));
  });
}
