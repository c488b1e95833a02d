/**
 * Watches the sync loop for `/healthz/syncloop`, as the kubelet's
 * `SyncLoopHealthCheck` does: the loop is unhealthy when no pass has
 * completed within max(2 x sync frequency, 5 minutes), or when the Engine
 * stopped answering.
 *
 * @module
 */

/** The shortest time without a completed sync pass that counts as a stall (ms). */
export const MIN_SYNC_LOOP_STALL_MS = 5 * 60_000;

export class SyncLoopMonitor {
  #lastPass: number;
  #engineError: string | undefined;

  /**
   * @param syncFrequencyMs `--sync-frequency` in ms
   * @param now the clock, in ms since the epoch
   */
  constructor(private readonly syncFrequencyMs: number, private readonly now: () => number = Date.now) {
    // Like the kubelet's monitor before its first iteration, a new loop counts as healthy.
    this.#lastPass = now();
  }

  /** How long the loop may go without completing a pass (ms). */
  get thresholdMs(): number {
    return Math.max(2 * this.syncFrequencyMs, MIN_SYNC_LOOP_STALL_MS);
  }

  /** When the last pass completed (ms since the epoch). */
  get lastPass(): number {
    return this.#lastPass;
  }

  /** A sync pass (relist and dispatch, or a full resync) completed. */
  passed(): void {
    this.#lastPass = this.now();
  }

  /** The Engine answered a call. */
  engineAnswered(): void {
    this.#engineError = undefined;
  }

  /** An Engine call failed; the loop is unhealthy until the Engine answers again. */
  engineFailed(error: unknown): void {
    this.#engineError = error instanceof Error ? error.message : String(error);
  }

  /** Why the loop is unhealthy, or undefined when it is healthy. */
  check(): string | undefined {
    if (this.#engineError !== undefined) return `docker engine is not answering: ${this.#engineError}`;
    const since = this.now() - this.#lastPass;
    if (since > this.thresholdMs) {
      return `sync loop took longer than expected: no sync pass completed for ${
        Math.round(since / 1000)
      }s (threshold ${Math.round(this.thresholdMs / 1000)}s)`;
    }
    return undefined;
  }
}
