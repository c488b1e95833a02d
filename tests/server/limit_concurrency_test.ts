import { test } from "node:test";
import assert from "node:assert/strict";
import { isLongLived, longLived } from "../../src/platform/long_lived.ts";
import { limitConcurrency } from "../../src/server/limit_concurrency.ts";

const get = (path: string) => new Request(`http://localhost${path}`);

test("limitConcurrency answers 429 beyond maxInFlight requests, and never to /healthz", async () => {
  const waiting: (() => void)[] = [];
  const handler = limitConcurrency(
    () => new Promise<Response>((resolve) => waiting.push(() => resolve(new Response("ok")))),
    { maxInFlight: 2 },
  );
  const first = handler(get("/pods"));
  const second = handler(get("/stats/summary"));
  const refused = await handler(get("/pods"));
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("retry-after"), "1");
  assert.match(await refused.text(), /more than 2 requests in flight/);
  const health = handler(get("/healthz/syncloop"));
  assert.equal(waiting.length, 3, "the health check went through");
  waiting.forEach((w) => w());
  assert.deepEqual((await Promise.all([first, second, health])).map((r) => r.status), [200, 200, 200]);
  // Once they are answered, there is room again.
  const again = handler(get("/pods"));
  waiting[3]();
  assert.equal((await again).status, 200);
});

test("limitConcurrency refuses a long-lived response beyond maxLongLived until one ends or is cancelled", async () => {
  const cancelled: string[] = [];
  const follow = (name: string) =>
    longLived(
      new Response(
        new ReadableStream<Uint8Array>({
          pull: () => new Promise(() => {}),
          cancel: () => void cancelled.push(name),
        }),
      ),
    );
  let n = 0;
  const handler = limitConcurrency(() => Promise.resolve(follow(`f${++n}`)), { maxLongLived: 1 });
  const first = await handler(get("/containerLogs/default/p/c?follow=true"));
  assert.equal(first.status, 200);
  assert.equal(isLongLived(first), true, "still marked, so the platform lifts its idle timeout");
  const second = await handler(get("/containerLogs/default/p/c?follow=true"));
  assert.equal(second.status, 429);
  assert.match(await second.text(), /more than 1 log follows open/);
  assert.deepEqual(cancelled, ["f2"], "the refused stream was stopped");
  // The client of the first goes away: its slot is free again.
  await first.body!.cancel();
  assert.deepEqual(cancelled, ["f2", "f1"]);
  assert.equal((await handler(get("/containerLogs/default/p/c?follow=true"))).status, 200);
});

test("limitConcurrency frees a long-lived slot when the body ends or the request is aborted", async () => {
  const handler = limitConcurrency(() => Promise.resolve(longLived(new Response("short log\n"))), {
    maxLongLived: 1,
  });
  const first = await handler(get("/containerLogs/default/p/c"));
  assert.equal(await first.text(), "short log\n");
  const abort = new AbortController();
  const second = await handler(
    new Request("http://localhost/containerLogs/default/p/c", { signal: abort.signal }),
  );
  assert.equal(second.status, 200);
  abort.abort();
  assert.equal((await handler(get("/containerLogs/default/p/c"))).status, 200);
});
