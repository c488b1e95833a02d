import { test } from "node:test";
import assert from "node:assert/strict";
import { normalizeEvent } from "../../src/docker/engine_event.ts";
import type { EngineEvent } from "../../src/docker/types.ts";

const event = (Action: string, Type = "container"): EngineEvent => ({
  Type,
  Action,
  Actor: { ID: "c2881ec900df", Attributes: { "io.kubernetes.pod.name": "nginx-n", exitCode: "137" } },
  time: 1796015439,
  timeNano: 1796015439470367282,
});

for (
  const [engine, action, expected] of [
    ["podman", "remove", "destroy"],
    ["podman", "died", "die"],
    ["podman", "die", "die"],
    ["podman", "start", "start"],
    ["podman", "cleanup", "cleanup"],
    ["podman", "toString", "toString"],
    ["docker", "remove", "remove"],
    ["docker", "destroy", "destroy"],
  ] as const
) {
  test(`normalizeEvent names ${engine}'s container action ${action} ${expected}`, () => {
    const normalized = normalizeEvent(engine, event(action));
    assert.deepEqual(normalized, { ...event(action), Action: expected });
  });
}

test("normalizeEvent leaves Podman's events of other types alone", () => {
  assert.deepEqual(normalizeEvent("podman", event("remove", "image")), event("remove", "image"));
});
