import { test } from "node:test";
import assert from "node:assert/strict";
import { Backoff, every, sleep } from "../src/timers.ts";

test("sleep resolves at once when its signal aborts, however long it was to wait", async () => {
  const controller = new AbortController();
  const slept = sleep(3_600_000, controller.signal);
  controller.abort();
  await slept;
  await sleep(3_600_000, controller.signal); // already aborted: resolves without waiting
});

test("sleep takes its abort listener off the signal when the time is up", async () => {
  const listeners = new Set<unknown>();
  const signal = {
    aborted: false,
    addEventListener: (_: string, fn: unknown) => listeners.add(fn),
    removeEventListener: (_: string, fn: unknown) => listeners.delete(fn),
  } as unknown as AbortSignal;
  for (let i = 0; i < 3; i++) await sleep(0, signal);
  assert.equal(listeners.size, 0);
});

test("every calls its function repeatedly and never after the abort", async () => {
  const controller = new AbortController();
  let calls = 0;
  await new Promise<void>((resolve) => {
    every(1, () => {
      if (++calls === 3) {
        controller.abort();
        resolve();
      }
    }, controller.signal);
  });
  await sleep(20, new AbortController().signal);
  assert.equal(calls, 3);
});

test("every does nothing on a signal that has already aborted", async () => {
  let calls = 0;
  every(1, () => calls++, AbortSignal.abort());
  await sleep(20, new AbortController().signal);
  assert.equal(calls, 0);
});

test("Backoff doubles up to its maximum and starts over after reset", () => {
  const backoff = new Backoff(500, 3_000);
  assert.deepEqual([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()], [
    500,
    1_000,
    2_000,
    3_000,
    3_000,
  ]);
  backoff.reset();
  assert.equal(backoff.next(), 500);
});

test("coalesced never overlaps its runs: calls during a run make one more run, and share its promise", async () => {
  const { coalesced } = await import("../src/timers.ts");
  const abort = new AbortController();
  let active = 0, most = 0, runs = 0;
  let release!: () => void;
  const run = coalesced(async () => {
    runs++;
    most = Math.max(most, ++active);
    await new Promise<void>((r) => (release = r));
    active--;
  }, abort.signal);
  const first = run();
  await Promise.resolve();
  const second = run(), third = run();
  assert.equal(second, first, "a call during the run gets the running promise");
  assert.equal(third, first);
  release();
  for (let i = 0; i < 10 && runs < 2; i++) await new Promise((r) => setTimeout(r, 0));
  assert.equal(runs, 2, "the calls during the first run made exactly one more");
  release();
  await first;
  assert.equal(most, 1, "never two at once");
  const fourth = run();
  assert.notEqual(fourth, first, "a call after the runs starts afresh");
  abort.abort();
  release();
  await fourth;
  assert.equal(runs, 3);
});
