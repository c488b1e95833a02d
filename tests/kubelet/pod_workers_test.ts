import { test } from "node:test";
import assert from "node:assert/strict";
import { PodWorkers } from "../../src/kubelet/pod_workers.ts";

/** A promise with its resolve function outside. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Workers whose syncs wait for `release()`; records each sync's start and end, and how many
 * syncs of each key ran at once at most.
 */
function gatedWorkers() {
  let gate = deferred();
  const log: string[] = [];
  const active = new Map<string, number>();
  const maxActive = new Map<string, number>();
  let maxTotal = 0;
  const workers = new PodWorkers(async (key) => {
    active.set(key, (active.get(key) ?? 0) + 1);
    maxActive.set(key, Math.max(maxActive.get(key) ?? 0, active.get(key)!));
    maxTotal = Math.max(maxTotal, [...active.values()].reduce((a, b) => a + b, 0));
    log.push(`start ${key}`);
    await gate.promise;
    log.push(`end ${key}`);
    active.set(key, active.get(key)! - 1);
  }, () => {});
  return {
    workers,
    log,
    maxActive,
    get maxTotal() {
      return maxTotal;
    },
    release() {
      gate.resolve();
      gate = deferred();
    },
  };
}

test("PodWorkers never runs two syncs of one pod at once", async () => {
  const w = gatedWorkers();
  const done = [w.workers.dispatch("a"), w.workers.dispatch("a"), w.workers.dispatch("a")];
  await tick();
  w.release();
  await tick();
  w.release();
  await Promise.all(done);
  assert.equal(w.maxActive.get("a"), 1);
});

test("PodWorkers coalesces dispatches during a sync into one more run", async () => {
  const w = gatedWorkers();
  const first = w.workers.dispatch("a");
  await tick();
  const later = [w.workers.dispatch("a"), w.workers.dispatch("a"), w.workers.dispatch("a")];
  w.release();
  await tick();
  w.release();
  await Promise.all([first, ...later]);
  assert.deepEqual(w.log, ["start a", "end a", "start a", "end a"]);
});

test("PodWorkers runs syncs of different pods concurrently", async () => {
  const w = gatedWorkers();
  const done = [w.workers.dispatch("a"), w.workers.dispatch("b")];
  await tick();
  assert.deepEqual(w.log, ["start a", "start b"]);
  assert.deepEqual(w.workers.busy.sort(), ["a", "b"]);
  w.release();
  await Promise.all(done);
  assert.equal(w.maxTotal, 2);
  assert.deepEqual(w.workers.busy, []);
});

test("PodWorkers resolves a dispatch made during a sync only after the follow-up run finished", async () => {
  const w = gatedWorkers();
  void w.workers.dispatch("a");
  await tick();
  let resolved = false;
  const second = w.workers.dispatch("a").then(() => (resolved = true));
  w.release();
  await tick();
  assert.deepEqual(w.log, ["start a", "end a", "start a"]);
  assert.equal(resolved, false);
  w.release();
  await second;
  assert.deepEqual(w.log, ["start a", "end a", "start a", "end a"]);
});

test("PodWorkers passes a sync's error to onError and keeps serving the pod once the backoff passed", async () => {
  const errors: [string, unknown][] = [];
  let calls = 0;
  let now = 0;
  const boom = new Error("boom");
  const workers = new PodWorkers(async (key) => {
    calls++;
    if (calls === 1) throw boom;
    await Promise.resolve(key);
  }, (key, error) => errors.push([key, error]), () => now);
  await workers.dispatch("a");
  assert.deepEqual(errors, [["a", boom]]);
  now += 1_000;
  await workers.dispatch("a");
  assert.equal(calls, 2);
  assert.equal(errors.length, 1);
  await workers.stop();
});

test("PodWorkers dispatchAfter syncs once after the delay, however often it is asked", async () => {
  const synced: string[] = [];
  const workers = new PodWorkers((key) => Promise.resolve(void synced.push(key)), () => {});
  workers.dispatchAfter("a", 20);
  workers.dispatchAfter("a", 20);
  await tick();
  assert.deepEqual(synced, []);
  await sleep(60);
  assert.deepEqual(synced, ["a"]);
  await workers.stop();
});

test("PodWorkers stop cancels pending delayed syncs and waits for running ones", async () => {
  const w = gatedWorkers();
  w.workers.dispatchAfter("later", 20);
  void w.workers.dispatch("a");
  await tick();
  let stopped = false;
  const stop = w.workers.stop().then(() => (stopped = true));
  await tick();
  assert.equal(stopped, false);
  w.release();
  await stop;
  await sleep(40);
  assert.deepEqual(w.log, ["start a", "end a"]);
});

test("PodWorkers backs off after a failed sync: requests meanwhile wait for one retry", async () => {
  let calls = 0;
  const errors: unknown[] = [];
  const workers = new PodWorkers(async () => {
    calls++;
    if (calls === 1) throw new Error("engine says no");
  }, (_key, error) => errors.push(error));
  await workers.dispatch("p");
  assert.equal(calls, 1);
  assert.equal(errors.length, 1);
  for (let i = 0; i < 5; i++) await workers.dispatch("p");
  assert.equal(calls, 1, "no sync while backing off");
  await new Promise((r) => setTimeout(r, 1_200));
  assert.equal(calls, 2, "one retry once the 1 s backoff has passed");
  await workers.dispatch("p");
  assert.equal(calls, 3, "a success ends the backoff");
  await workers.stop();
});

test("PodWorkers.dispatchAfter keeps the earlier of two scheduled syncs", async () => {
  let calls = 0;
  const workers = new PodWorkers(() => Promise.resolve(void calls++), () => {});
  workers.dispatchAfter("p", 10_000);
  workers.dispatchAfter("p", 20);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(calls, 1);
  await workers.stop();
});
