/**
 * The shared end of both runtimes' `readTextFile` with `maxBytes`.
 *
 * @module
 */

/**
 * Decodes what a bounded read gave (at most `maxBytes + 1` bytes) as UTF-8.
 *
 * @throws {RangeError} when `bytes` is longer than `maxBytes`: the file is larger.
 */
export function textWithin(bytes: Uint8Array, maxBytes: number): string {
  if (bytes.length > maxBytes) throw new RangeError(`larger than ${maxBytes} bytes`);
  return new TextDecoder().decode(bytes);
}
