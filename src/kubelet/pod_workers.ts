/**
 * One worker per pod (the kubelet's pod_workers.go): each pod's syncs run in
 * order, one at a time; a sync asked for while one runs is coalesced into a
 * single follow-up run.
 *
 * @module
 */

export class PodWorkers {
  #running = new Map<string, Promise<void>>();
  #again = new Set<string>();
  #timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** @param sync does one pod's work; errors are passed to `onError`. */
  constructor(
    private readonly sync: (key: string) => Promise<void>,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  /** Asks for a sync of `key` now; resolves when a sync that started after this call has finished. */
  dispatch(key: string): Promise<void> {
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
        } catch (error) {
          this.onError(key, error);
        }
      } while (this.#again.has(key));
      this.#running.delete(key);
    })();
    this.#running.set(key, run);
    return run;
  }

  /** Asks for a sync of `key` after `ms`, unless an earlier one is already due. */
  dispatchAfter(key: string, ms: number): void {
    if (this.#timers.has(key)) return;
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        this.dispatch(key);
      }, ms),
    );
  }

  /** Keys with a sync in progress. */
  get busy(): string[] {
    return [...this.#running.keys()];
  }

  /** Cancels pending timers and waits for running syncs. */
  async stop(): Promise<void> {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    await Promise.allSettled(this.#running.values());
  }
}
