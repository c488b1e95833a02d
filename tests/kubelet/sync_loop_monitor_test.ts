import { test } from "node:test";
import assert from "node:assert/strict";
import { SyncLoopMonitor } from "../../src/kubelet/sync_loop_monitor.ts";

test("sync loop is healthy until max(2 x sync frequency, 5 min) passes without a sync pass", () => {
  let now = 0;
  const m = new SyncLoopMonitor(60_000, () => now);
  assert.equal(m.thresholdMs, 300_000);
  now = 300_000;
  assert.equal(m.check(), undefined);
  now = 300_001;
  assert.match(m.check() ?? "", /no sync pass completed for 300s \(threshold 300s\)/);
  m.passed();
  assert.equal(m.check(), undefined);
});

test("a long sync frequency stretches the threshold to twice its length", () => {
  let now = 0;
  const m = new SyncLoopMonitor(10 * 60_000, () => now);
  assert.equal(m.thresholdMs, 20 * 60_000);
  now = 15 * 60_000;
  assert.equal(m.check(), undefined);
  now = 21 * 60_000;
  assert.ok(m.check());
});

test("an Engine that stops answering makes the loop unhealthy until it answers again", () => {
  const m = new SyncLoopMonitor(60_000, () => 0);
  m.engineFailed(new Error("connect ECONNREFUSED"));
  assert.equal(m.check(), "docker engine is not answering: connect ECONNREFUSED");
  m.engineAnswered();
  assert.equal(m.check(), undefined);
});
