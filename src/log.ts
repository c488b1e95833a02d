/**
 * The kubelet's own log on stderr, in the two formats of Kubernetes
 * components (`--logging-format`), so log pipelines built for them read it:
 *
 * - `text`, klog's structured line:
 *   `I1127 12:30:43.123000   12345 kubelet.ts:0] "synced pod" pod="default/web"`:
 *   severity, local month and day, time with microseconds, process id (klog
 *   prints its thread id there, right-aligned in 7 columns), `file:line]`,
 *   the quoted message, then `key=value` pairs with strings quoted.
 * - `json`, component-base's line: `{"ts":1732710643123.0,"caller":"kubelet.ts:0","msg":"synced pod","v":0,"pod":"default/web"}`,
 *   `ts` in milliseconds since the epoch, `v` the verbosity of info and
 *   warning lines, and an error under `err` (error lines carry no `v`).
 *
 * The Go `file:line` has no equivalent here (the compiled binary keeps no
 * useful stack), so every line names the fixed {@link LOG_CALLER}; klog
 * parsers need the `name:digits` shape, which it has.
 *
 * @module
 */

export type Fields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  /** Logs only when the verbosity is at least `level` (klog's `-v`). */
  v(level: number, message: string, fields?: Fields): void;
}

/** The `file:line` every line carries, in klog's header and as JSON's `caller`. */
export const LOG_CALLER = "kubelet.ts:0";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** klog's `mmdd hh:mm:ss.uuuuuu`, in local time as klog writes it. */
function klogTime(d: Date): string {
  return `${pad(d.getMonth() + 1)}${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${
    pad(d.getSeconds())
  }.${pad(d.getMilliseconds(), 3)}000`;
}

/** Fields with `error` renamed to klog's `err` (first, as `ErrorS` puts it) and Errors as their message. */
function plainFields(fields: Fields = {}): [string, unknown][] {
  const entries = Object.entries(fields).map(([k, v]): [string, unknown] => [
    k === "error" ? "err" : k,
    v instanceof Error ? v.message : v,
  ]);
  return [...entries.filter(([k]) => k === "err"), ...entries.filter(([k]) => k !== "err")];
}

function klogValue(v: unknown): string {
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return JSON.stringify(v) ?? String(v);
}

/** Makes a logger writing lines through `write` (stderr by default). */
export function createLogger(
  options: {
    format?: "text" | "json";
    verbosity?: number;
    write?: (line: string) => void;
    now?: () => Date;
    /** The process id klog's header shows. @default 0 */
    pid?: number;
  } = {},
): Logger {
  const {
    format = "text",
    verbosity = 0,
    write = (line) => console.error(line),
    now = () => new Date(),
    pid = 0,
  } = options;
  const header = ` ${String(pid).padStart(7)} ${LOG_CALLER}] `;
  const emit = (severity: "I" | "W" | "E", message: string, fields?: Fields, v = 0) => {
    const t = now();
    const plain = plainFields(fields);
    if (format === "json") {
      const base = severity === "E"
        ? { ts: t.getTime(), caller: LOG_CALLER, msg: message }
        : { ts: t.getTime(), caller: LOG_CALLER, msg: message, v };
      // The record's own keys first and never replaced by a field of the same name.
      write(JSON.stringify({ ...base, ...Object.fromEntries(plain.filter(([k]) => !(k in base))) }));
    } else {
      const pairs = plain.map(([k, value]) => ` ${k}=${klogValue(value)}`).join("");
      write(`${severity}${klogTime(t)}${header}${JSON.stringify(message)}${pairs}`);
    }
  };
  return {
    info: (m, f) => emit("I", m, f),
    warn: (m, f) => emit("W", m, f),
    error: (m, f) => emit("E", m, f),
    v: (level, m, f) => {
      if (verbosity >= level) emit("I", m, f, level);
    },
  };
}
