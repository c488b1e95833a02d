import { test } from "node:test";
import assert from "node:assert/strict";
import { WatchCache, type WatchEvent } from "../../../src/server/apiserver/watch_cache.ts";
import type { Status } from "../../../src/server/apiserver/status_error.ts";

interface Obj {
  metadata: { name: string; resourceVersion?: string; labels?: Record<string, string> };
  v: number;
}
const obj = (name: string, v: number, app = "web"): Obj => ({ metadata: { name, labels: { app } }, v });
const cache = (options = {}) =>
  new WatchCache<Obj>((o) => o.metadata.name, { startVersion: 100, ...options });

/** Reads `n` events, then cancels the stream. */
async function take(stream: ReadableStream<WatchEvent<Obj>> | Status, n: number) {
  assert.ok(stream instanceof ReadableStream, JSON.stringify(stream));
  const reader = stream.getReader();
  const out: [string, string, number, string][] = [];
  while (out.length < n) {
    const { value, done } = await reader.read();
    if (done) break;
    out.push([
      value.type,
      value.object.metadata.name,
      value.object.v,
      value.object.metadata.resourceVersion!,
    ]);
  }
  await reader.cancel();
  return out;
}

test("sync gives each new or changed object the next resourceVersion and leaves unchanged ones alone", () => {
  const c = cache();
  c.sync([obj("a", 1), obj("b", 1)]);
  assert.equal(c.resourceVersion, "102");
  c.sync([obj("a", 1), obj("b", 2)]);
  assert.equal(c.resourceVersion, "103");
  assert.equal(c.get("a")!.metadata.resourceVersion, "101");
  assert.equal(c.get("b")!.metadata.resourceVersion, "103");
  c.sync([obj("a", 1), obj("b", 2)]);
  assert.equal(c.resourceVersion, "103");
});

test("a watch from 0 sends every object as ADDED, then the changes", async () => {
  const c = cache();
  c.sync([obj("a", 1)]);
  const stream = c.watch("0", () => true);
  c.sync([obj("a", 2), obj("b", 1)]);
  c.sync([obj("b", 1)]);
  assert.deepEqual(await take(stream, 4), [
    ["ADDED", "a", 1, "101"],
    ["MODIFIED", "a", 2, "102"],
    ["ADDED", "b", 1, "103"],
    ["DELETED", "a", 2, "104"],
  ]);
});

test("a watch from a resourceVersion replays only the changes after it", async () => {
  const c = cache();
  c.sync([obj("a", 1)]);
  c.sync([obj("a", 2)]);
  c.sync([obj("a", 3)]);
  assert.deepEqual(await take(c.watch("102", () => true), 1), [["MODIFIED", "a", 3, "103"]]);
});

test("a watch from a version older than the ring answers 410 Expired", () => {
  const c = cache({ ringSize: 2 });
  for (let v = 1; v <= 4; v++) c.sync([obj("a", v)]);
  const answer = c.watch("101", () => true);
  assert.ok(!(answer instanceof ReadableStream));
  assert.equal(answer.code, 410);
  assert.equal(answer.reason, "Expired");
  assert.ok(c.watch("102", () => true) instanceof ReadableStream);
});

test("an object moving out of a watch's filter is DELETED for it, moving in is ADDED", async () => {
  const c = cache();
  c.sync([obj("a", 1, "web")]);
  const stream = c.watch(c.resourceVersion, (o) => o.metadata.labels?.app === "web");
  c.sync([obj("a", 2, "db")]);
  c.sync([obj("a", 3, "web")]);
  assert.deepEqual(await take(stream, 2), [["DELETED", "a", 2, "102"], ["ADDED", "a", 3, "103"]]);
});

test("watches are bounded: one more than maxWatchers answers 429", () => {
  const c = cache({ maxWatchers: 1 });
  assert.ok(c.watch("0", () => true) instanceof ReadableStream);
  const refused = c.watch("0", () => true);
  assert.ok(!(refused instanceof ReadableStream));
  assert.equal(refused.code, 429);
});

test("close ends every open watch and refuses new ones", async () => {
  const c = cache();
  c.sync([obj("a", 1)]);
  const stream = c.watch("0", () => true);
  c.close();
  assert.deepEqual(await take(stream, 5), [["ADDED", "a", 1, "101"]]);
  assert.equal(c.watchers, 0);
  assert.ok(!(c.watch("0", () => true) instanceof ReadableStream));
});

test("an aborted signal ends the watch and frees its place", async () => {
  const c = cache();
  const abort = new AbortController();
  const stream = c.watch("0", () => true, abort.signal);
  assert.equal(c.watchers, 1);
  abort.abort();
  assert.deepEqual(await take(stream, 1), []);
  assert.equal(c.watchers, 0);
});

test("a watcher that falls too far behind is ended", async () => {
  const c = cache({ maxBacklog: 3 });
  const stream = c.watch("0", () => true);
  for (let v = 1; v <= 10; v++) c.sync([obj("a", v)]);
  assert.equal(c.watchers, 0);
  const got = await take(stream, 100);
  assert.ok(got.length < 10, `got ${got.length}`);
});
