/**
 * Bounded reads of byte streams a workload controls (probe and hook response
 * bodies, exec output): at most `limit` bytes are ever held, as the kubelet's
 * `io.LimitReader` reads do.
 *
 * @module
 */

/** What a bounded read kept. */
export interface LimitedRead {
  /** The first bytes of the stream, at most `limit` of them. */
  bytes: Uint8Array;
  /** True when more bytes than were kept were seen. */
  truncated: boolean;
}

/**
 * Reads the first `limit` bytes of `source`. Then, by default, cancels the
 * rest (an endless body costs nothing more); with `drain`, reads the rest to
 * its end and throws it away (an exec stream must end before its exit code
 * is known). Never holds more than `limit` bytes plus one chunk.
 *
 * @throws whatever reading `source` throws (an abort, a reset).
 */
export async function readLimited(
  source: ReadableStream<Uint8Array> | null,
  limit: number,
  options: { drain?: boolean } = {},
): Promise<LimitedRead> {
  if (!source) return { bytes: new Uint8Array(0), truncated: false };
  const reader = source.getReader();
  const kept = new Uint8Array(limit);
  let length = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const n = Math.min(value.length, limit - length);
      kept.set(value.subarray(0, n), length);
      length += n;
      if (n < value.length) truncated = true;
      if (length === limit && !options.drain) break;
    }
  } finally {
    // Cancelling a finished stream is harmless; it tells the sender of an unfinished one to stop.
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  return { bytes: kept.subarray(0, length), truncated };
}

/** {@link readLimited} decoded as UTF-8 (a character cut at the limit becomes U+FFFD). */
export async function readLimitedText(
  source: ReadableStream<Uint8Array> | null,
  limit: number,
  options: { drain?: boolean } = {},
): Promise<string> {
  return new TextDecoder().decode((await readLimited(source, limit, options)).bytes);
}
