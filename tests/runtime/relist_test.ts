import { test } from "node:test";
import assert from "node:assert/strict";
import { toState } from "../../src/runtime/relist.ts";

for (
  const [status, expected] of [
    ["running", "running"],
    ["paused", "running"],
    ["restarting", "running"],
    ["exited", "exited"],
    ["dead", "exited"],
    ["created", "created"],
    // Podman's compatible inspect says "stopped" for a moment after each exit, before its cleanup.
    ["stopped", "exited"],
    ["stopping", "running"],
    ["configured", "created"],
    ["removing", "unknown"],
  ] as const
) {
  test(`toState reads an Engine's State.Status ${status} as ${expected}`, () => {
    assert.equal(toState(status), expected);
  });
}
