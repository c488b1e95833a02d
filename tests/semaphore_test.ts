import { test } from "node:test";
import assert from "node:assert/strict";
import { Semaphore } from "../src/semaphore.ts";

const tick = () => new Promise((r) => setTimeout(r, 1));

test("Semaphore runs at most its limit at once, the rest in the order they came", async () => {
  const turns = new Semaphore(2);
  let running = 0, most = 0;
  const order: number[] = [];
  const releases: (() => void)[] = [];
  const tasks = [0, 1, 2, 3, 4].map((i) =>
    turns.run(async () => {
      order.push(i);
      most = Math.max(most, ++running);
      await new Promise<void>((r) => releases.push(r));
      running--;
      return i;
    })
  );
  await tick();
  assert.deepEqual(order, [0, 1]);
  assert.equal(turns.waiting, 3);
  releases.shift()!();
  await tick();
  assert.deepEqual(order, [0, 1, 2]);
  while (releases.length || order.length < 5) {
    releases.shift()?.();
    await tick();
  }
  assert.deepEqual(await Promise.all(tasks), [0, 1, 2, 3, 4]);
  assert.equal(most, 2);
  assert.equal(turns.waiting, 0);
});

test("Semaphore passes the turn on when a task fails, and rejects a limit that is not a positive integer", async () => {
  const turns = new Semaphore(1);
  const failed = turns.run(() => Promise.reject(new Error("engine said no")));
  const next = turns.run(() => Promise.resolve("ran"));
  await assert.rejects(failed, /engine said no/);
  assert.equal(await next, "ran");
  for (const bad of [0, -1, 1.5, NaN]) assert.throws(() => new Semaphore(bad), RangeError);
});
