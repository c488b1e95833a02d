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
  const workers = new PodWorkers(async ({ key }) => {
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
  w.workers.update({ key: "a" });
  await tick();
  w.workers.update({ key: "a" });
  w.workers.update({ key: "a" });
  w.release();
  await tick();
  w.release();
  await w.workers.idle();
  assert.equal(w.maxActive.get("a"), 1);
});

test("PodWorkers coalesces updates during a sync into one more run", async () => {
  const w = gatedWorkers();
  w.workers.update({ key: "a" });
  await tick();
  w.workers.update({ key: "a" });
  w.workers.update({ key: "a" });
  w.workers.update({ key: "a" });
  w.release();
  await tick();
  w.release();
  await w.workers.idle();
  assert.deepEqual(w.log, ["start a", "end a", "start a", "end a"]);
});

test("PodWorkers runs syncs of different pods concurrently", async () => {
  const w = gatedWorkers();
  w.workers.update({ key: "a" });
  w.workers.update({ key: "b" });
  await tick();
  assert.deepEqual(w.log, ["start a", "start b"]);
  assert.deepEqual(w.workers.busy.sort(), ["a", "b"]);
  w.release();
  await w.workers.idle();
  assert.equal(w.maxTotal, 2);
  assert.deepEqual(w.workers.busy, []);
});

test("PodWorkers.update returns at once while the pod's worker is stuck, and other pods' updates run", async () => {
  const applied: string[] = [];
  const stuck = new Promise<void>(() => {});
  const workers = new PodWorkers<{ key: string; version: number }>(async ({ key, version }) => {
    if (key === "slow") await stuck;
    applied.push(`${key}@${version}`);
  }, () => {});
  workers.update({ key: "slow", version: 1 });
  for (let i = 1; i <= 3; i++) workers.update({ key: "fast", version: i });
  workers.update({ key: "other", version: 1 });
  await workers.idle("fast");
  await workers.idle("other");
  assert.deepEqual(applied, ["fast@3", "other@1"]);
  assert.deepEqual(workers.busy, ["slow"]);
});

test("PodWorkers applies only the newest update that waited for a busy worker", async () => {
  const applied: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const workers = new PodWorkers<{ key: string; version: number }>(async ({ version }) => {
    if (version === 1) await gate;
    applied.push(version);
  }, () => {});
  workers.update({ key: "p", version: 1 });
  await tick();
  workers.update({ key: "p", version: 2 });
  workers.update({ key: "p", version: 3 });
  release();
  await workers.idle();
  assert.deepEqual(applied, [1, 3]);
});

test("PodWorkers passes a sync's error to onError and keeps serving the pod once the backoff passed", async () => {
  const errors: [string, unknown][] = [];
  let calls = 0;
  let now = 0;
  const boom = new Error("boom");
  const workers = new PodWorkers(
    async ({ key }) => {
      calls++;
      if (calls === 1) throw boom;
      await Promise.resolve(key);
    },
    (key, error) => errors.push([key, error]),
    () => now,
  );
  workers.update({ key: "a" });
  await workers.idle();
  assert.deepEqual(errors, [["a", boom]]);
  now += 1_000;
  workers.update({ key: "a" });
  await workers.idle();
  assert.equal(calls, 2);
  assert.equal(errors.length, 1);
  await workers.stop();
});

test("PodWorkers.updateAfter syncs once after the delay with the last update, however often it is asked", async () => {
  const synced: string[] = [];
  const workers = new PodWorkers<{ key: string; v: number }>(
    ({ key, v }) => Promise.resolve(void synced.push(`${key}@${v}`)),
    () => {},
  );
  workers.update({ key: "a", v: 7 });
  await workers.idle();
  workers.updateAfter("a", 20);
  workers.updateAfter("a", 20);
  await tick();
  assert.deepEqual(synced, ["a@7"]);
  await sleep(60);
  assert.deepEqual(synced, ["a@7", "a@7"]);
  await workers.stop();
});

test("PodWorkers stop cancels pending delayed syncs and waits for running ones", async () => {
  const w = gatedWorkers();
  w.workers.update({ key: "later" });
  await tick();
  w.release();
  await w.workers.idle();
  w.log.length = 0;
  w.workers.updateAfter("later", 20);
  w.workers.update({ key: "a" });
  // Microtasks only until a's sync has started: no timer can fire before stop() (on a loaded machine a
  // timer tick here could outlast the 20 ms, and the delayed sync would rightly run before the stop).
  for (let i = 0; i < 10 && !w.log.includes("start a"); i++) await Promise.resolve();
  assert.deepEqual(w.log, ["start a"]);
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
  const workers = new PodWorkers(() => {
    calls++;
    return calls === 1 ? Promise.reject(new Error("engine says no")) : Promise.resolve();
  }, (_key, error) => errors.push(error));
  workers.update({ key: "p" });
  await workers.idle();
  assert.equal(calls, 1);
  assert.equal(errors.length, 1);
  for (let i = 0; i < 5; i++) {
    workers.update({ key: "p" });
    await workers.idle();
  }
  assert.equal(calls, 1, "no sync while backing off");
  await new Promise((r) => setTimeout(r, 1_200));
  assert.equal(calls, 2, "one retry once the 1 s backoff has passed");
  workers.update({ key: "p" });
  await workers.idle();
  assert.equal(calls, 3, "a success ends the backoff");
  await workers.stop();
});

test("PodWorkers.updateAfter keeps the earlier of two scheduled syncs", async () => {
  let calls = 0;
  const workers = new PodWorkers(() => Promise.resolve(void calls++), () => {});
  workers.update({ key: "p" });
  await workers.idle();
  calls = 0;
  workers.updateAfter("p", 10_000);
  workers.updateAfter("p", 20);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(calls, 1);
  await workers.stop();
});

test("PodWorkers caps the backoff after repeated failures at one minute", async () => {
  let now = 0, calls = 0;
  const workers = new PodWorkers(
    () => {
      calls++;
      return Promise.reject(new Error("engine says no"));
    },
    () => {},
    () => now,
  );
  // Eight failures in a row, each retried as soon as its backoff (1 s, 2 s, ... 64 s) has passed.
  for (let i = 0; i < 8; i++) {
    workers.update({ key: "p" });
    await workers.idle();
    now += 1_000 * 2 ** i;
  }
  assert.equal(calls, 8);
  now += 60_000 - 1_000 * 2 ** 7;
  workers.update({ key: "p" });
  await workers.idle();
  assert.equal(calls, 9, "a minute after the eighth failure the pod is synced again");
  await workers.stop();
});

test("PodWorkers.retryFailedNow ends every backoff and retries those pods at once, with their newest update", async () => {
  let now = 0;
  const seen: string[] = [];
  let failing = true;
  const workers = new PodWorkers<{ key: string; v: number }>(
    ({ key, v }) => {
      seen.push(`${key}:${v}`);
      return failing ? Promise.reject(new Error("engine down")) : Promise.resolve();
    },
    () => {},
    () => now,
  );
  // Five failures of "a" in a row, each once the backoff before it passed: it has grown to 16 s.
  for (let i = 0; i < 5; i++) {
    if (i > 0) now += 1_000 * 2 ** (i - 1);
    workers.update({ key: "a", v: i });
    await workers.idle();
  }
  workers.update({ key: "b", v: 0 });
  await workers.idle();
  failing = false;
  workers.update({ key: "c", v: 0 }); // never failed: not retried
  await workers.idle();
  workers.update({ key: "a", v: 9 }); // waits for the backoff
  await workers.idle();
  assert.equal(seen.filter((s) => s.startsWith("a:")).length, 5, "backing off: no sync of a");
  assert.ok(seen.includes("c:0"));
  seen.length = 0;
  workers.retryFailedNow();
  await workers.idle();
  assert.deepEqual(seen.sort(), ["a:9", "b:0"]);
  workers.update({ key: "a", v: 10 });
  await workers.idle();
  assert.deepEqual(seen.sort(), ["a:10", "a:9", "b:0"], "the backoff is over: a new update runs at once");
  await workers.stop();
});
