/**
 * The shared end of both runtimes' `readTextFile` with `maxBytes`.
 *
 * @module
 */

/** The first buffer of a bounded read: most files read this way (manifests, messages) are small. */
const FIRST_CHUNK = 16 * 1024;

/**
 * Reads at most `maxBytes + 1` bytes through `read` (which fills `buffer`
 * from `offset` and returns how many bytes it read, 0 at the end). The buffer
 * starts small and doubles as the file proves larger, so a 200-byte file read
 * under a 1 MiB cap costs a 16 KiB buffer, not a zeroed 1 MiB one.
 */
export async function readBounded(
  read: (buffer: Uint8Array, offset: number) => Promise<number>,
  maxBytes: number,
): Promise<Uint8Array> {
  const cap = maxBytes + 1;
  let buffer = new Uint8Array(Math.min(cap, FIRST_CHUNK));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (buffer.length >= cap) break;
      const bigger = new Uint8Array(Math.min(cap, buffer.length * 2));
      bigger.set(buffer);
      buffer = bigger;
    }
    const n = await read(buffer, length);
    if (n <= 0) break;
    length += n;
  }
  return buffer.subarray(0, length);
}

/**
 * Decodes what a bounded read gave (at most `maxBytes + 1` bytes) as UTF-8.
 *
 * @throws {RangeError} when `bytes` is longer than `maxBytes`: the file is larger.
 */
export function textWithin(bytes: Uint8Array, maxBytes: number): string {
  if (bytes.length > maxBytes) throw new RangeError(`larger than ${maxBytes} bytes`);
  return new TextDecoder().decode(bytes);
}
