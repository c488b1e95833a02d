/**
 * Timers that end with an abort signal: a sleep, an interval and a doubling
 * retry delay, written once for every loop of the kubelet that waits.
 *
 * @module
 */

/**
 * Resolves after `ms`, or at once when `signal` aborts (never rejects). The abort listener is
 * removed when the time is up, so sleeping often on one long-lived signal leaks nothing.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Calls `fn` every `ms` until `signal` aborts; nothing is called after the abort. */
export function every(ms: number, fn: () => unknown, signal: AbortSignal): void {
  if (signal.aborted) return;
  const timer = setInterval(fn, ms);
  signal.addEventListener("abort", () => clearInterval(timer), { once: true });
}

/** A retry delay that starts at `initialMs` and doubles after each use, up to `maxMs`. */
export class Backoff {
  #next: number;
  constructor(readonly initialMs: number, readonly maxMs: number) {
    this.#next = initialMs;
  }

  /** The delay to wait now (ms); the one after it is twice as long, at most `maxMs`. */
  next(): number {
    const delay = this.#next;
    this.#next = Math.min(delay * 2, this.maxMs);
    return delay;
  }

  /** Starts over at `initialMs` (after a success). */
  reset(): void {
    this.#next = this.initialMs;
  }
}

/**
 * Makes `run` callable at any time without ever overlapping itself: a call
 * while it runs is answered by one more run right after (however many calls
 * came meanwhile), and resolves with it. No run starts after `signal` aborts.
 */
export function coalesced(run: () => Promise<void>, signal: AbortSignal): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await run();
        } while (again && !signal.aborted);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
}
