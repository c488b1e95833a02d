/**
 * A versioned store with a bounded watch broadcaster, after the API server's
 * watch cache (k8s.io/apiserver/pkg/storage/cacher): each change of an
 * object gets the next resourceVersion (they only grow, across kubelet
 * restarts too: they start from the clock), a ring of recent changes lets a
 * watch resume from a resourceVersion, and a watch from a version older than
 * the ring gets the 410 `Expired` Status clients answer by listing again.
 *
 * Objects come in as whole snapshots ({@link WatchCache.sync}); the cache
 * diffs them against what it holds, so a source needs no change hooks.
 *
 * @module
 */
import type { ObjectMeta } from "../../api/types.ts";
import { gone, type Status, tooManyRequests } from "./status_error.ts";

/** An object the cache can hold. */
export interface Versioned {
  metadata: ObjectMeta;
}

/** One change, as a watch streams it. */
export interface WatchEvent<T> {
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: T;
}

interface Change<T> {
  rv: number;
  type: WatchEvent<T>["type"];
  object: T;
  /** The object before this change (MODIFIED only), for filters an object moves in or out of. */
  before?: T;
}

interface Entry<T> {
  object: T;
  json: string;
}

/** Limits of a cache. */
export interface WatchCacheOptions {
  /** Changes kept for watches resuming from a resourceVersion. @default 1000 */
  ringSize?: number;
  /** Open watches at most; more answer 429. @default 100 */
  maxWatchers?: number;
  /** Events a slow watcher may fall behind before its watch is ended. @default 1000 */
  maxBacklog?: number;
  /** The first resourceVersion. @default {Date.now() * 1000} */
  startVersion?: number;
}

interface Watcher<T> {
  filter: (o: T) => boolean;
  push(event: WatchEvent<T>): void;
  end(): void;
}

const withVersion = <T extends Versioned>(o: T, rv: number): T => ({
  ...o,
  metadata: { ...o.metadata, resourceVersion: String(rv) },
});

/** The store; `keyOf` names an object (namespace/name). */
export class WatchCache<T extends Versioned> {
  #rv: number;
  /** Changes at or below this version are no longer in the ring. */
  #floor: number;
  readonly #objects = new Map<string, Entry<T>>();
  readonly #ring: Change<T>[] = [];
  readonly #watchers = new Set<Watcher<T>>();
  readonly #ringSize: number;
  readonly #maxWatchers: number;
  readonly #maxBacklog: number;
  #closed = false;

  constructor(private readonly keyOf: (o: T) => string, options: WatchCacheOptions = {}) {
    this.#rv = this.#floor = options.startVersion ?? Date.now() * 1000;
    this.#ringSize = options.ringSize ?? 1000;
    this.#maxWatchers = options.maxWatchers ?? 100;
    this.#maxBacklog = options.maxBacklog ?? 1000;
  }

  /** The newest resourceVersion. */
  get resourceVersion(): string {
    return String(this.#rv);
  }

  /** Open watches. */
  get watchers(): number {
    return this.#watchers.size;
  }

  /** Takes the complete current set of objects: new ones are ADDED, changed ones MODIFIED, missing ones DELETED. */
  sync(items: T[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      const key = this.keyOf(item);
      seen.add(key);
      const json = JSON.stringify(item);
      const before = this.#objects.get(key);
      if (before?.json === json) continue;
      const object = withVersion(item, ++this.#rv);
      this.#objects.set(key, { object, json });
      this.#record({ rv: this.#rv, type: before ? "MODIFIED" : "ADDED", object, before: before?.object });
    }
    for (const [key, entry] of this.#objects) {
      if (seen.has(key)) continue;
      this.#objects.delete(key);
      this.#record({ rv: ++this.#rv, type: "DELETED", object: withVersion(entry.object, this.#rv) });
    }
  }

  /** Every object, with the list's resourceVersion. */
  list(): { resourceVersion: string; items: T[] } {
    return { resourceVersion: this.resourceVersion, items: [...this.#objects.values()].map((e) => e.object) };
  }

  /** One object by key. */
  get(key: string): T | undefined {
    return this.#objects.get(key)?.object;
  }

  #record(change: Change<T>): void {
    this.#ring.push(change);
    if (this.#ring.length > this.#ringSize) this.#floor = this.#ring.shift()!.rv;
    for (const w of this.#watchers) {
      const event = eventFor(change, w.filter);
      if (event) w.push(event);
    }
  }

  /**
   * Starts a watch of the objects `filter` accepts. From `resourceVersion`
   * `""` or `"0"`, every current object is sent as ADDED first; from a
   * version, the changes after it. Ends on `signal`, on {@link close}, or
   * when the client falls `maxBacklog` events behind.
   *
   * @returns the events, or the Status to answer instead (410 for a version
   *   older than the ring, 429 when too many watches are open)
   */
  watch(
    resourceVersion: string,
    filter: (o: T) => boolean,
    signal?: AbortSignal,
  ): ReadableStream<WatchEvent<T>> | Status {
    if (this.#closed) return tooManyRequests("the kubelet is stopping");
    if (this.#watchers.size >= this.#maxWatchers) {
      return tooManyRequests(`too many open watches (at most ${this.#maxWatchers})`);
    }
    const initial: WatchEvent<T>[] = [];
    if (resourceVersion === "" || resourceVersion === "0") {
      for (const { object } of this.#objects.values()) {
        if (filter(object)) initial.push({ type: "ADDED", object });
      }
    } else {
      const from = /^\d+$/.test(resourceVersion) ? Number(resourceVersion) : NaN;
      if (Number.isNaN(from)) return gone(`too old resource version: ${resourceVersion}`);
      if (from < this.#floor) {
        return gone(`too old resource version: ${resourceVersion} (${this.#floor + 1})`);
      }
      for (const change of this.#ring) {
        if (change.rv <= from) continue;
        const event = eventFor(change, filter);
        if (event) initial.push(event);
      }
    }
    const watchers = this.#watchers;
    const maxBacklog = this.#maxBacklog;
    let watcher: Watcher<T>;
    const stop = () => watcher?.end();
    return new ReadableStream<WatchEvent<T>>({
      start(controller) {
        let ended = false;
        watcher = {
          filter,
          push(event) {
            if (ended) return;
            if ((controller.desiredSize ?? 0) < -maxBacklog) return watcher.end();
            controller.enqueue(event);
          },
          end() {
            if (ended) return;
            ended = true;
            watchers.delete(watcher);
            signal?.removeEventListener("abort", stop);
            try {
              controller.close();
            } catch { /* already cancelled */ }
          },
        };
        watchers.add(watcher);
        for (const event of initial) controller.enqueue(event);
        if (signal?.aborted) watcher.end();
        else signal?.addEventListener("abort", stop, { once: true });
      },
      cancel() {
        stop();
      },
    });
  }

  /** Ends every watch; later watches are refused. */
  close(): void {
    this.#closed = true;
    for (const w of [...this.#watchers]) w.end();
  }
}

/** What a change means to a watcher with `filter`: objects moving in are ADDED, moving out DELETED. */
function eventFor<T>(change: Change<T>, filter: (o: T) => boolean): WatchEvent<T> | undefined {
  const now = filter(change.object);
  if (change.type !== "MODIFIED") return now ? { type: change.type, object: change.object } : undefined;
  const was = change.before !== undefined && filter(change.before);
  if (now) return { type: was ? "MODIFIED" : "ADDED", object: change.object };
  return was ? { type: "DELETED", object: change.object } : undefined;
}
