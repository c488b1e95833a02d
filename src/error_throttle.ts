/**
 * Logs a repeating error once, then again only when its text changes or a
 * minute has passed, so a vanished Engine or URL does not flood the log.
 *
 * @module
 */
import type { Logger } from "./log.ts";

/** How often an unchanged error is logged again (ms). */
export const REPEAT_MS = 60_000;

export class ErrorThrottle {
  #last = new Map<string, { text: string; at: number }>();

  constructor(private readonly log: Logger, private readonly now = Date.now) {}

  /** Logs `message` with `error` under `key`, unless the same was logged for `key` within a minute. */
  report(key: string, message: string, error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    const last = this.#last.get(key);
    if (last && last.text === text && this.now() - last.at < REPEAT_MS) return;
    this.#last.set(key, { text, at: this.now() });
    this.log.error(message, { error: text });
  }

  /** Forgets `key`: its next error is logged at once. Logs a recovery when one was reported. */
  clear(key: string): void {
    if (this.#last.delete(key)) this.log.info(`${key}: recovered`);
  }
}
