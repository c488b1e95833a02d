/**
 * Byte-stream transforms for container logs: demultiplexing the Engine's
 * stdout/stderr frames, and cutting a stream off after a number of bytes.
 *
 * @module
 */

/** Which stream a frame of a multiplexed log came from. */
export type LogStreamType = "stdin" | "stdout" | "stderr";

const STREAM_TYPES: LogStreamType[] = ["stdin", "stdout", "stderr"];
const HEADER = 8;

/**
 * Splits the Engine's multiplexed log stream (frames of an 8-byte header:
 * stream type, three zero bytes, big-endian payload length; then the payload)
 * into the payloads, in order, keeping those of the wanted streams.
 * Cancelling the result cancels `source`.
 *
 * @param wanted the streams to keep @default {["stdout", "stderr"]}
 * @throws {TypeError} (as a stream error) when a header is not a frame header.
 */
export function demultiplex(
  source: ReadableStream<Uint8Array>,
  wanted: LogStreamType[] = ["stdout", "stderr"],
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let data: Uint8Array = new Uint8Array(0);
  let remaining = 0;
  let keep = false;
  return new ReadableStream({
    async pull(controller) {
      // Read until at least one payload byte can be passed on, or the source ends.
      for (;;) {
        if (remaining > 0 && data.length > 0) {
          const n = Math.min(remaining, data.length);
          const part = data.slice(0, n);
          remaining -= n;
          data = data.subarray(n);
          if (keep) return controller.enqueue(part);
          continue;
        }
        if (remaining === 0 && data.length >= HEADER) {
          const type = STREAM_TYPES[data[0]];
          if (type === undefined || data[1] !== 0 || data[2] !== 0 || data[3] !== 0) {
            await reader.cancel();
            return controller.error(
              new TypeError(`log stream: byte ${data[0]} does not start a frame header`),
            );
          }
          remaining = new DataView(data.buffer, data.byteOffset, HEADER).getUint32(4);
          keep = wanted.includes(type);
          data = data.subarray(HEADER);
          continue;
        }
        const { done, value } = await reader.read();
        if (done) {
          if (data.length > 0 || remaining > 0) {
            return controller.error(new TypeError("log stream: ends inside a frame"));
          }
          return controller.close();
        }
        data = data.length ? concat(data, value) : value;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** The first `limit` bytes of `source`; the source is cancelled once they are read (or when this stream is). */
export function limitBytes(source: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let left = limit;
  return new ReadableStream({
    async pull(controller) {
      if (left <= 0) {
        controller.close();
        await reader.cancel();
        return;
      }
      const { done, value } = await reader.read();
      if (done) return controller.close();
      const part = value.length <= left ? value : value.subarray(0, left);
      left -= part.length;
      controller.enqueue(part);
      if (left <= 0) {
        controller.close();
        await reader.cancel();
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
