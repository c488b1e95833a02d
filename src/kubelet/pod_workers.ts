/**
 * One worker per pod (the kubelet's pod_workers.go): each pod's syncs run in
 * order, one at a time; a sync asked for while one runs is coalesced into a
 * single follow-up run. A sync that fails is retried after a backoff (1 s
 * doubling to 1 min) and other requests wait for it, so an Engine that keeps
 * failing is not hammered by the events each attempt causes.
 *
 * @module
 */

/** First wait after a failed sync (ms). */
export const ERROR_BACKOFF_MS = 1_000;
/** Longest wait after failed syncs (ms). */
export const MAX_ERROR_BACKOFF_MS = 60_000;

export class PodWorkers {
  #running = new Map<string, Promise<void>>();
  #again = new Set<string>();
  #timers = new Map<string, { due: number; timer: ReturnType<typeof setTimeout> }>();
  /** Consecutive failed syncs, and until when the next one waits, per key. */
  #failures = new Map<string, { count: number; until: number }>();

  /** @param sync does one pod's work; errors are passed to `onError`. */
  constructor(
    private readonly sync: (key: string) => Promise<void>,
    private readonly onError: (key: string, error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Asks for a sync of `key` now; resolves when a sync that started after this call has finished. */
  dispatch(key: string): Promise<void> {
    const failed = this.#failures.get(key);
    if (failed && failed.until > this.now()) {
      // Backing off after an error: the retry timer runs the sync.
      this.dispatchAfter(key, failed.until - this.now());
      return Promise.resolve();
    }
    const running = this.#running.get(key);
    if (running) {
      this.#again.add(key);
      return running.then(() => this.#running.get(key));
    }
    const run = (async () => {
      do {
        this.#again.delete(key);
        try {
          await this.sync(key);
          this.#failures.delete(key);
        } catch (error) {
          this.onError(key, error);
          const count = (this.#failures.get(key)?.count ?? 0) + 1;
          const wait = Math.min(ERROR_BACKOFF_MS * 2 ** (count - 1), MAX_ERROR_BACKOFF_MS);
          this.#failures.set(key, { count, until: this.now() + wait });
          this.#again.delete(key);
          this.dispatchAfter(key, wait);
        }
      } while (this.#again.has(key));
      this.#running.delete(key);
    })();
    this.#running.set(key, run);
    return run;
  }

  /** Asks for a sync of `key` after `ms`, unless an earlier one is already due. */
  dispatchAfter(key: string, ms: number): void {
    const due = this.now() + ms;
    const pending = this.#timers.get(key);
    if (pending && pending.due <= due) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.dispatch(key);
    }, ms);
    this.#timers.set(key, { due, timer });
  }

  /** Keys with a sync in progress. */
  get busy(): string[] {
    return [...this.#running.keys()];
  }

  /** Cancels pending timers and waits for running syncs. */
  async stop(): Promise<void> {
    for (const t of this.#timers.values()) clearTimeout(t.timer);
    this.#timers.clear();
    await Promise.allSettled(this.#running.values());
  }
}
