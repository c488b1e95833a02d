/**
 * The flags of the kubelet's own log: `--logging-format` (alias
 * `--log-format`: `text`, klog's lines, or `json`, component-base's) and
 * `-v` (klog's verbosity).
 *
 * @module
 */
import { FlagError } from "./flag_error.ts";

export interface LogFlags {
  format: "text" | "json";
  verbosity: number;
}

const last = (v: unknown) => Array.isArray(v) ? v[v.length - 1] : v;

/** Turns cac's `loggingFormat` (or `logFormat`) and `v` options into log settings. @throws {FlagError} */
export function parseLogFlags(options: Record<string, unknown>): LogFlags {
  const format = String(last(options.loggingFormat ?? options.logFormat) ?? "text");
  if (format !== "text" && format !== "json") {
    throw new FlagError(`--logging-format: ${JSON.stringify(format)} is not a log format (text, json)`);
  }
  const raw = last(options.v) ?? 0;
  const verbosity = Number(raw);
  if (!Number.isInteger(verbosity) || verbosity < 0) {
    throw new FlagError(`-v: ${JSON.stringify(raw)} is not a verbosity level (0, 1, 2, ...)`);
  }
  return { format, verbosity };
}
