/**
 * One worker per pod (the kubelet's pod_workers.go). {@linkcode PodWorkers.update}
 * only records the newest update for its pod and wakes that pod's worker: it
 * never waits for pod work, so a 30 s grace period or a slow pull in one pod
 * costs no other pod (nor the sync loop) a millisecond.
 *
 * Each pod's syncs run in order, one at a time. An update that arrives while
 * its worker is busy waits there; a newer one replaces it (updates are never
 * queued), so the worker always applies the pod as it is now. A sync that
 * fails is retried after a backoff (1 s doubling to 1 min), and updates
 * meanwhile wait for that retry, so an Engine that keeps failing is not
 * hammered by the events each attempt causes.
 *
 * @module
 */

/** First wait after a failed sync (ms). */
export const ERROR_BACKOFF_MS = 1_000;
/** Longest wait after failed syncs (ms). */
export const MAX_ERROR_BACKOFF_MS = 60_000;
/** setTimeout fires at once for more than this (ms); a resync that far off waits for the periodic one. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What a worker applies: at least the pod's key (its full name). */
export interface KeyedUpdate {
  key: string;
}

export class PodWorkers<U extends KeyedUpdate = KeyedUpdate> {
  /** The newest update not yet taken by its worker, per key. */
  #pending = new Map<string, U>();
  /** The last update each worker applied, for retries and timed resyncs. */
  #last = new Map<string, U>();
  #running = new Map<string, Promise<void>>();
  #timers = new Map<string, { due: number; timer: ReturnType<typeof setTimeout> }>();
  /** Consecutive failed syncs, and until when the next one waits, per key. */
  #failures = new Map<string, { count: number; until: number }>();
  #stopped = false;

  /** @param sync applies one update; errors are passed to `onError` and retried with backoff. */
  constructor(
    private readonly sync: (update: U) => Promise<void>,
    private readonly onError: (key: string, error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Hands `update` to its pod's worker and returns at once. When the worker is
   * busy, the update waits for it, replacing any older one still waiting.
   */
  update(update: U): void {
    if (this.#stopped) return;
    this.#pending.set(update.key, update);
    const failed = this.#failures.get(update.key);
    if (failed && failed.until > this.now()) {
      // Backing off after an error: the retry timer runs the newest update.
      this.updateAfter(update.key, failed.until - this.now());
      return;
    }
    if (!this.#running.has(update.key)) this.#run(update.key);
  }

  /** Syncs `key` again after `ms` with its newest update, unless an earlier resync is due already. */
  updateAfter(key: string, ms: number): void {
    if (this.#stopped) return;
    const due = this.now() + ms;
    const pending = this.#timers.get(key);
    if (pending && pending.due <= due) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      const update = this.#pending.get(key) ?? this.#last.get(key);
      if (!update) return;
      this.#pending.set(key, update);
      if (!this.#running.has(key)) this.#run(key);
    }, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    this.#timers.set(key, { due, timer });
  }

  /**
   * Ends every error backoff and retries those pods now, with their newest
   * update: for when what failed them (an Engine that was down) is back, so
   * that no pod sits out the rest of a backoff that grew meanwhile.
   */
  retryFailedNow(): void {
    if (this.#stopped) return;
    const keys = [...this.#failures.keys()];
    this.#failures.clear();
    for (const key of keys) {
      const timer = this.#timers.get(key);
      if (timer) clearTimeout(timer.timer);
      this.#timers.delete(key);
      const update = this.#pending.get(key) ?? this.#last.get(key);
      if (!update) continue;
      this.#pending.set(key, update);
      if (!this.#running.has(key)) this.#run(key);
    }
  }

  /** Keys whose worker is applying an update now. */
  get busy(): string[] {
    return [...this.#running.keys()];
  }

  /** Resolves once `key`'s worker (every worker, without a key) has nothing left to do now. */
  async idle(key?: string): Promise<void> {
    for (;;) {
      const running = key === undefined ? [...this.#running.values()] : [this.#running.get(key)];
      const active = running.filter((r) => r !== undefined);
      if (active.length === 0) return;
      await Promise.allSettled(active);
    }
  }

  /** Forgets a pod whose worker has nothing left to do (its last update and backoff). */
  forget(key: string): void {
    if (this.#running.has(key) || this.#pending.has(key)) return;
    this.#last.delete(key);
    this.#failures.delete(key);
    const timer = this.#timers.get(key);
    if (timer) clearTimeout(timer.timer);
    this.#timers.delete(key);
  }

  /** Takes no more updates, cancels timers and waits for the syncs in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers.values()) clearTimeout(t.timer);
    this.#timers.clear();
    this.#pending.clear();
    await Promise.allSettled(this.#running.values());
  }

  #run(key: string): void {
    const run = (async () => {
      // Let the caller's turn finish first: a burst of updates is applied as its newest one.
      await Promise.resolve();
      for (let update = this.#pending.get(key); update && !this.#stopped; update = this.#pending.get(key)) {
        this.#pending.delete(key);
        this.#last.set(key, update);
        try {
          await this.sync(update);
          this.#failures.delete(key);
        } catch (error) {
          this.onError(key, error);
          const count = (this.#failures.get(key)?.count ?? 0) + 1;
          const wait = Math.min(ERROR_BACKOFF_MS * 2 ** (count - 1), MAX_ERROR_BACKOFF_MS);
          this.#failures.set(key, { count, until: this.now() + wait });
          this.updateAfter(key, wait);
          break;
        }
      }
      this.#running.delete(key);
    })();
    this.#running.set(key, run);
  }
}
