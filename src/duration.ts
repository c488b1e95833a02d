/**
 * Durations in the syntax of Go's `time.ParseDuration`, which the kubelet's
 * flags use: `20s`, `1m30s`, `1.5h`, `500ms`, `0`.
 *
 * @module
 */

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses a duration into milliseconds.
 *
 * @throws {Error} naming the text when it is not a duration.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const sign = trimmed.startsWith("-") ? -1 : 1;
  const s = trimmed.replace(/^[-+]/, "");
  if (s === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0, at = 0;
  while (at < s.length) {
    re.lastIndex = at;
    const m = re.exec(s);
    if (!m) throw new Error(`invalid duration ${JSON.stringify(text)} (examples: 20s, 1m30s, 500ms)`);
    total += Number(m[1]) * UNITS[m[2]];
    at = re.lastIndex;
  }
  if (!s) throw new Error(`invalid duration "" (examples: 20s, 1m30s, 500ms)`);
  return sign * total;
}

/** Formats milliseconds the way Go prints a duration (`1m30s`, `20s`, `500ms`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000), m = Math.floor(ms / 60_000) % 60, s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${s}s`;
}
