/**
 * Time slices for long work on the event loop: reading large manifests
 * pauses once a slice is used up, so that the status server, probes and
 * restart timers run in between, whatever the machine's speed.
 *
 * @module
 */

/** How long reading manifests may hold the event loop before it lets it run, in ms. */
export const SLICE_MS = 10;

/** When a pause last let the event loop run (`performance.now()`), for every caller alike. */
let since = performance.now();

/**
 * Lets the event loop run (a timer task) when `ms` have passed since a pause
 * last did, and returns undefined (nothing to wait for) otherwise: cheap
 * enough to call every few tokens. The clock is shared, so that work spread
 * over many small files or documents pauses as one long piece of work would.
 * (After the loop ran for some other reason, such as a read, the next call may
 * pause once more than needed, which costs a timer tick.)
 *
 * @example Usage
 * ```ts
 * for (const item of [1, 2, 3]) {
 *   await pauseIfDue();
 *   // ... work on item
 * }
 * ```
 */
export function pauseIfDue(ms: number = SLICE_MS): Promise<void> | undefined {
  if (performance.now() - since < ms) return undefined;
  return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
    since = performance.now();
  });
}
