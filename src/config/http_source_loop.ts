/**
 * Drives the URL source: reads the manifest URL every
 * `--http-check-frequency` and hands each changed snapshot on. A failing URL
 * changes nothing: its pods keep running and the error is logged, once a
 * minute while it repeats. Reads never overlap, and handing a snapshot over
 * never waits for pod work.
 *
 * @module
 */
import { every } from "../timers.ts";
import type { Logger } from "../log.ts";
import { HTTP_TIMEOUT_MS, type HttpSourceState, readHttpSource } from "./http_source.ts";
import type { Snapshot } from "./snapshot.ts";
import { ErrorThrottle } from "../error_throttle.ts";
import { ManifestWarnings } from "./manifest_warnings.ts";

export interface HttpSourceLoopOptions {
  url: string;
  headers: [string, string][];
  nodeName: string;
  /** Time between reads (ms); 0 reads once. */
  periodMs: number;
  signal: AbortSignal;
  /** @default {HTTP_TIMEOUT_MS} */
  timeoutMs?: number;
}

/** Starts polling the URL; resolves after the first read was applied (or failed). */
export async function runHttpSource(
  log: Logger,
  options: HttpSourceLoopOptions,
  apply: (snapshot: Snapshot) => void,
): Promise<void> {
  const { url, signal } = options;
  const throttle = new ErrorThrottle(log);
  const warnings = new ManifestWarnings(log);
  const key = `manifest URL ${url}`;
  let state: HttpSourceState = {};
  let reading = false;
  const read = async () => {
    if (reading || signal.aborted) return;
    reading = true;
    try {
      const result = await readHttpSource(state, {
        url,
        headers: options.headers,
        nodeName: options.nodeName,
        signal,
        timeoutMs: options.timeoutMs ?? HTTP_TIMEOUT_MS,
      });
      throttle.clear(key);
      if (result.changed) {
        state = result.state;
        if (result.warning) log.warn(result.warning);
        warnings.report(result.snapshot);
        apply(result.snapshot);
      }
    } catch (error) {
      if (!signal.aborted) {
        throttle.report(key, `failed to read pods from ${url}; keeping the pods it last gave`, error);
      }
    } finally {
      reading = false;
    }
  };
  if (options.periodMs > 0) {
    every(options.periodMs, read, signal);
  }
  await read();
}
