/**
 * Progress of an image pull at a readable rate: the Engine sends a message
 * per chunk of each layer; this keeps a tally per layer and logs one line
 * (layers done, bytes downloaded) at most every few seconds.
 *
 * @module
 */
import type { PullProgress } from "../docker/types.ts";

/** Progress is logged at most this often per pull (ms). */
export const PROGRESS_EVERY_MS = 2_000;

const DONE = new Set(["Pull complete", "Already exists"]);

interface Layer {
  current: number;
  total: number;
  done: boolean;
}

const mib = (bytes: number) => (bytes / 1048576).toFixed(1);

export class PullProgressReporter {
  readonly #layers = new Map<string, Layer>();
  #lastLog: number;

  /**
   * @param report called with each progress line
   * @param now the clock, in ms
   */
  constructor(
    private readonly report: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.#lastLog = now();
  }

  /** Takes one message of the Engine's pull stream; reports when a report is due. */
  update(p: PullProgress): void {
    // Only layer messages carry an ID that is not the tag's ("latest: Pulling from library/nginx").
    if (p.id && p.status && !p.status.startsWith("Pulling from")) {
      const layer = this.#layers.get(p.id) ?? { current: 0, total: 0, done: false };
      if (p.status === "Downloading" && p.progressDetail?.total) {
        layer.current = p.progressDetail.current ?? 0;
        layer.total = p.progressDetail.total;
      } else if (p.status === "Download complete") layer.current = layer.total;
      if (DONE.has(p.status)) {
        layer.done = true;
        layer.current = layer.total;
      }
      this.#layers.set(p.id, layer);
    }
    if (this.now() - this.#lastLog >= PROGRESS_EVERY_MS && this.#layers.size > 0) {
      this.#lastLog = this.now();
      this.report(this.line());
    }
  }

  /** The progress so far: `2/5 layers done, 12.3 of 45.6 MiB downloaded`. */
  line(): string {
    let done = 0, current = 0, total = 0;
    for (const l of this.#layers.values()) {
      if (l.done) done++;
      current += l.current;
      total += l.total;
    }
    return `${done}/${this.#layers.size} layers done, ${mib(current)} of ${mib(total)} MiB downloaded`;
  }
}
