/**
 * Tells a manifest caught mid-write from a finished one: a file's new text is
 * applied only once two reads agree. Editors and `cp` rewrite files in place,
 * and a prefix of a manifest cut at a line boundary is often a valid pod with
 * fields missing; applying it would replace the running pod with a wrong one.
 *
 * @module
 */

export class SettledFiles {
  /** The text last applied, per file. */
  #applied = new Map<string, string>();
  /** A new text seen once, waiting for a second read that agrees. */
  #candidate = new Map<string, string>();
  #touched = new Set<string>();
  #unsettled = 0;

  /** Starts one reading of the source. */
  begin(): void {
    this.#touched.clear();
    this.#unsettled = 0;
  }

  /**
   * Whether `text` may be applied for `file` now: it is what was applied
   * before, or what the previous read saw. Otherwise it is remembered for the
   * next read to confirm.
   */
  settled(file: string, text: string): boolean {
    this.#touched.add(file);
    if (this.#applied.get(file) === text || this.#candidate.get(file) === text) {
      this.#applied.set(file, text);
      this.#candidate.delete(file);
      return true;
    }
    this.#candidate.set(file, text);
    this.#unsettled++;
    return false;
  }

  /** Ends the reading: forgets files that are gone; true when some file must be read again. */
  end(): boolean {
    for (const map of [this.#applied, this.#candidate]) {
      for (const file of map.keys()) if (!this.#touched.has(file)) map.delete(file);
    }
    return this.#unsettled > 0;
  }
}
