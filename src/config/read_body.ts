/**
 * Reads a response body up to a size cap, as the kubelet's `LimitReader`
 * reads do: never more than the cap and one byte.
 *
 * @module
 */

/**
 * The body of `response` as UTF-8 text.
 *
 * @throws {RangeError} when the body holds more than `maxBytes` bytes (the rest is not read).
 */
export async function readBodyText(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new RangeError(`body larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return new TextDecoder().decode(bytes);
}
