/**
 * Drives the file source: reads the manifest path when it changes (native
 * file watching, debounced) and every `--file-check-frequency` as the safety
 * net, and hands each complete snapshot on. Reads never overlap.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { Platform } from "../platform/types.ts";
import { readFileSource } from "../source/file_source.ts";
import type { Snapshot } from "../source/snapshot.ts";
import { ManifestWarnings } from "./manifest_warnings.ts";

/** Changes closer together than this (ms) are read once. */
export const DEBOUNCE_MS = 100;

export interface FileSourceLoopOptions {
  path: string;
  nodeName: string;
  periodMs: number;
  signal: AbortSignal;
}

/**
 * Starts watching and polling `path`; resolves after the first snapshot was applied.
 */
export async function runFileSource(
  platform: Platform,
  log: Logger,
  options: FileSourceLoopOptions,
  apply: (snapshot: Snapshot) => Promise<void>,
): Promise<void> {
  const { path, nodeName, periodMs, signal } = options;
  let reading: Promise<void> | undefined;
  let again = false;
  let lastError = "";
  const warnings = new ManifestWarnings(log);
  const read = (): Promise<void> => {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      do {
        again = false;
        try {
          const snapshot = await readFileSource(platform, path, { nodeName });
          lastError = "";
          warnings.report(snapshot);
          await apply(snapshot);
        } catch (error) {
          const message = (error as Error).message;
          if (message !== lastError) log.error(`manifest path ${path}: ${message}`);
          lastError = message;
        }
      } while (again && !signal.aborted);
      reading = undefined;
    })();
    return reading;
  };
  let debounce: ReturnType<typeof setTimeout> | undefined;
  const info = await platform.stat(path).catch(() => null);
  // Editors replace a file by renaming, so a single manifest file is watched through its directory.
  const watched = info?.isFile ? path.replace(/\/[^/]*$/, "") || "/" : path;
  platform.watch(watched, () => {
    clearTimeout(debounce);
    debounce = setTimeout(read, DEBOUNCE_MS);
  }, signal);
  if (periodMs > 0) {
    const timer = setInterval(read, periodMs);
    signal.addEventListener("abort", () => (clearInterval(timer), clearTimeout(debounce)), { once: true });
  }
  await read();
}
