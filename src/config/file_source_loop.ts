/**
 * Drives the file source: reads the manifest path as soon as it changes
 * (native file watching) and every `--file-check-frequency` as the safety
 * net, and hands each complete snapshot on. Handing over never waits for pod
 * work, so the source is always free to read the next change. Reads never
 * overlap: changes during a read are picked up by one more read right after.
 * A file's new text is applied only once two reads agree (see
 * {@linkcode SettledFiles}); until then its previous pods keep running.
 *
 * @module
 */
import { coalesced, every } from "../timers.ts";
import type { Logger } from "../log.ts";
import type { Platform } from "../platform/types.ts";
import { type DecodedFile, readFileSource } from "./file_source.ts";
import { SettledFiles } from "./settled_files.ts";
import type { Snapshot } from "./snapshot.ts";
import { ManifestWarnings } from "./manifest_warnings.ts";

/** Wait before reading a changed file again to see whether it still changes (ms); doubles while it does. */
export const SETTLE_MS = 30;
/** The longest wait between reads of a file that keeps changing (ms). */
export const MAX_SETTLE_MS = 2_000;

export interface FileSourceLoopOptions {
  path: string;
  nodeName: string;
  periodMs: number;
  signal: AbortSignal;
}

/**
 * Starts watching and polling `path`; resolves after the first snapshot was
 * handed over (or a first read failed).
 */
export async function runFileSource(
  platform: Platform,
  log: Logger,
  options: FileSourceLoopOptions,
  apply: (snapshot: Snapshot) => void,
): Promise<void> {
  const { path, nodeName, periodMs, signal } = options;
  let lastError = "";
  let settleMs = SETTLE_MS;
  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  /** The first reading is over: handed over, failed, or given up waiting for files to settle. */
  let started = false;
  /** The snapshot last handed over; undefined until the first is. */
  let lastApplied: Snapshot | undefined;
  const warnings = new ManifestWarnings(log);
  const files = new SettledFiles();
  // Unchanged files are neither read (when their stamp says so) nor decoded again on the periodic
  // re-read; forgotten when they go.
  const decoded = new Map<string, DecodedFile>();
  // Reads never overlap: a change during a read is picked up by one more read right after.
  const read = coalesced(async () => {
    try {
      files.begin();
      const snapshot = await readFileSource(platform, path, {
        nodeName,
        settled: (file, text) => files.settled(file, text),
        decoded,
      });
      const present = new Set(snapshot.pods.map((p) => p.origin).concat(snapshot.failedOrigins));
      for (const file of decoded.keys()) if (!present.has(file)) decoded.delete(file);
      lastError = "";
      const unsettled = files.end();
      // The first snapshot marks the source as seen, after which containers of pods it does not
      // name are removed: it waits until every file has settled.
      // A snapshot that is the last one again (the periodic re-read of unchanged files gives the
      // same decoded pods and objects) is not handed over: merging it would change nothing.
      if (
        (lastApplied || !unsettled || started) && !(lastApplied && sameSnapshot(lastApplied, snapshot))
      ) {
        warnings.report(snapshot);
        apply(snapshot);
        lastApplied = snapshot;
      }
      if (unsettled) {
        // Something changed since the last read: read again shortly to see whether it is finished.
        clearTimeout(settleTimer);
        settleTimer = setTimeout(read, settleMs);
        settleMs = Math.min(settleMs * 2, MAX_SETTLE_MS);
      } else settleMs = SETTLE_MS;
    } catch (error) {
      started = true;
      const message = (error as Error).message;
      if (message !== lastError) log.error(`manifest path ${path}: ${message}`);
      lastError = message;
    }
  }, signal);
  const info = await platform.stat(path).catch(() => null);
  // Editors replace a file by renaming, so a single manifest file is watched through its directory.
  const watched = info?.isFile ? path.replace(/\/[^/]*$/, "") || "/" : path;
  platform.watch(watched, () => void read(), signal);
  signal.addEventListener("abort", () => clearTimeout(settleTimer), { once: true });
  if (periodMs > 0) {
    every(periodMs, read, signal);
  }
  await read();
  clearTimeout(settleTimer);
  // Resolve once the first snapshot is handed over (its files settled), so sources start in order.
  for (let wait = SETTLE_MS, tries = 0; !lastApplied && !started && !signal.aborted; wait *= 2) {
    // A file that keeps changing does not hold the kubelet back for long: after 8 tries, the
    // files that have settled are handed over without it.
    if (++tries === 8) started = true;
    await new Promise((resolve) => setTimeout(resolve, wait));
    clearTimeout(settleTimer); // this loop does the re-reading until the first hand-over
    await read();
  }
  started = true;
}

/**
 * Whether `next` holds exactly what `last` held: the same pod and object
 * objects (unchanged files come from the decode cache as the very same
 * objects, so identity suffices) and equal problems, warnings and notes.
 */
export function sameSnapshot(last: Snapshot, next: Snapshot): boolean {
  const sameItems = <T>(a: readonly T[] = [], b: readonly T[] = []) =>
    a.length === b.length && a.every((x, i) => x === b[i]);
  const samePods = last.pods.length === next.pods.length &&
    last.pods.every((p, i) => p.pod === next.pods[i].pod && p.origin === next.pods[i].origin);
  return samePods && sameItems(last.configMaps, next.configMaps) && sameItems(last.secrets, next.secrets) &&
    JSON.stringify([last.problems, last.failedOrigins, last.warnings ?? [], last.notes ?? []]) ===
      JSON.stringify([next.problems, next.failedOrigins, next.warnings ?? [], next.notes ?? []]);
}
