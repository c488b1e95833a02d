/**
 * Log timestamps as the kubelet writes them. Docker prefixes each log line
 * with an RFC 3339 time in nanoseconds (`2024-01-01T10:00:00.123456789Z`);
 * Podman's compatible logs endpoint (4.x) writes whole seconds
 * (`2024-01-01T10:00:00Z`). This rewrites each line's leading time to
 * Docker's shape, UTC with nine fraction digits, so clients that parse it as
 * the kubelet's `--timestamps` output (fixed width) see one format. Podman's
 * lost sub-second digits stay zeros.
 *
 * @module
 */

/** A line's time prefix is at most this long (RFC 3339 with nanoseconds and an offset, and the space). */
const MAX_PREFIX = 36;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) $/;

/** `prefix` (a line's first bytes up to and including a space) in Docker's shape; unchanged when it is no time. */
export function nanoTimestamp(prefix: string): string {
  const m = RFC3339.exec(prefix);
  if (!m) return prefix;
  const [, base, fraction = "", offset] = m;
  let utc = base;
  if (offset !== "Z") {
    const ms = Date.parse(`${base}${offset}`);
    if (Number.isNaN(ms)) return prefix;
    utc = new Date(ms).toISOString().slice(0, 19);
  }
  return `${utc}.${fraction.padEnd(9, "0")}Z `;
}

/** `source` with every line's leading RFC 3339 time rewritten by {@linkcode nanoTimestamp}. */
export function nanoTimestamps(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  // The bytes of the current line held back until its prefix is complete; undefined past the prefix.
  let held: number[] | undefined = [];
  const release = (controller: TransformStreamDefaultController<Uint8Array>) => {
    const raw = new Uint8Array(held!);
    const text = decoder.decode(raw);
    const rewritten = nanoTimestamp(text);
    // Only a time (ASCII) is re-encoded: other bytes pass as they came, valid UTF-8 or not.
    controller.enqueue(rewritten === text ? raw : encoder.encode(rewritten));
  };
  return source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        let i = 0;
        while (i < chunk.length) {
          if (held === undefined) {
            const nl = chunk.indexOf(NEWLINE, i);
            const end = nl < 0 ? chunk.length : nl + 1;
            controller.enqueue(chunk.slice(i, end));
            i = end;
            if (nl >= 0) held = [];
            continue;
          }
          const byte = chunk[i++];
          held.push(byte);
          if (byte === SPACE || byte === NEWLINE || held.length >= MAX_PREFIX) {
            release(controller);
            held = byte === NEWLINE ? [] : undefined;
          }
        }
      },
      flush(controller) {
        if (held?.length) controller.enqueue(new Uint8Array(held));
      },
    }),
  );
}
