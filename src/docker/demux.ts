/**
 * Splits the Engine's multiplexed stream (attach, logs and exec without a
 * TTY): frames of an 8-byte header — stream type (1 stdout, 2 stderr), three
 * zero bytes, a big-endian 32-bit length — followed by that many bytes.
 *
 * @module
 */

/** One frame's payload and the stream it belongs to. */
export interface Frame {
  stream: "stdout" | "stderr";
  data: Uint8Array;
}

/** Yields the frames of a multiplexed byte stream. */
export async function* demux(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<Frame> {
  let buffer = new Uint8Array(0);
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    const joined = new Uint8Array(buffer.length + chunk.length);
    joined.set(buffer);
    joined.set(chunk, buffer.length);
    buffer = joined;
    while (buffer.length >= 8) {
      const size = new DataView(buffer.buffer, buffer.byteOffset + 4, 4).getUint32(0);
      if (buffer.length < 8 + size) break;
      yield { stream: buffer[0] === 2 ? "stderr" : "stdout", data: buffer.slice(8, 8 + size) };
      buffer = buffer.slice(8 + size);
    }
  }
}
