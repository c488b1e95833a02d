/**
 * The kubelet's own log: klog-like text lines (`I1127 12:30:43.123456 msg
 * key="value"`) on stderr, or one JSON object per line.
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

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function klogTime(d: Date): string {
  return `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${
    pad(d.getUTCMinutes())
  }:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000`;
}

function formatFields(fields: Fields = {}): string {
  return Object.entries(fields).map(([k, v]) => ` ${k}=${JSON.stringify(v instanceof Error ? v.message : v)}`)
    .join(
      "",
    );
}

/** Makes a logger writing lines through `write` (stderr by default). */
export function createLogger(
  options: {
    format?: "text" | "json";
    verbosity?: number;
    write?: (line: string) => void;
    now?: () => Date;
  } = {},
): Logger {
  const { format = "text", verbosity = 0, write = (line) => console.error(line), now = () => new Date() } =
    options;
  const emit = (severity: "I" | "W" | "E", message: string, fields?: Fields, v = 0) => {
    const t = now();
    if (format === "json") {
      const level = { I: "info", W: "warning", E: "error" }[severity];
      const plain = Object.fromEntries(
        Object.entries(fields ?? {}).map(([k, v]) => [k, v instanceof Error ? v.message : v]),
      );
      write(JSON.stringify({ ts: t.getTime() / 1000, level, v, msg: message, ...plain }));
    } else {
      write(`${severity}${klogTime(t)} ${message}${formatFields(fields)}`);
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
