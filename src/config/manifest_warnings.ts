/**
 * Logs the field warnings of a source's snapshots once: a warning is logged
 * when it first appears, not again while each new snapshot repeats it.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { Snapshot } from "./snapshot.ts";
import { quoteOrigin } from "./quote_origin.ts";

export class ManifestWarnings {
  #last = new Set<string>();
  #lastNotes = new Set<string>();

  constructor(private readonly log: Logger) {}

  /** Logs the warnings of `snapshot` that the previous snapshot did not have. */
  report(snapshot: Snapshot): void {
    const next = new Set<string>(), nextNotes = new Set<string>();
    for (const w of snapshot.warnings ?? []) {
      const text = `manifest ${quoteOrigin(w.origin)}${w.line ? `:${w.line}` : ""}: ${w.message}`;
      if (!this.#last.has(text)) this.log.warn(text);
      next.add(text);
    }
    this.#last = next;
    for (const n of snapshot.notes ?? []) {
      const text = `manifest ${quoteOrigin(n.origin)}: ${n.message}`;
      if (!this.#lastNotes.has(text)) this.log.info(text);
      nextNotes.add(text);
    }
    this.#lastNotes = nextNotes;
  }
}
