/**
 * The flags of the kubelet's own log: `--log-format` (`text`, klog-like, or
 * `json`, one object per line) and `-v` (klog's verbosity).
 *
 * @module
 */
import { FlagError } from "../flags.ts";

export interface LogFlags {
  format: "text" | "json";
  verbosity: number;
}

/** Turns cac's `logFormat` and `v` options into log settings. @throws {FlagError} */
export function parseLogFlags(options: Record<string, unknown>): LogFlags {
  const format = String(options.logFormat ?? "text");
  if (format !== "text" && format !== "json") {
    throw new FlagError(`--log-format: ${JSON.stringify(format)} is not a log format (text, json)`);
  }
  const raw = Array.isArray(options.v) ? options.v[options.v.length - 1] : options.v ?? 0;
  const verbosity = Number(raw);
  if (!Number.isInteger(verbosity) || verbosity < 0) {
    throw new FlagError(`-v: ${JSON.stringify(raw)} is not a verbosity level (0, 1, 2, ...)`);
  }
  return { format, verbosity };
}
