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
 *
 * @param wanted the streams to keep @default {["stdout", "stderr"]}
 * @throws {TypeError} (as a stream error) when a header is not a frame header.
 */
export function demultiplex(wanted: LogStreamType[] = ["stdout", "stderr"]): TransformStream<Uint8Array, Uint8Array> {
  let buffered = new Uint8Array(0);
  let remaining = 0;
  let keep = false;
  return new TransformStream({
    transform(chunk, controller) {
      let data = buffered.length ? concat(buffered, chunk) : chunk;
      buffered = new Uint8Array(0);
      while (data.length > 0) {
        if (remaining > 0) {
          const n = Math.min(remaining, data.length);
          if (keep) controller.enqueue(data.slice(0, n));
          remaining -= n;
          data = data.subarray(n);
          continue;
        }
        if (data.length < HEADER) {
          buffered = data.slice();
          return;
        }
        const type = STREAM_TYPES[data[0]];
        if (type === undefined || data[1] !== 0 || data[2] !== 0 || data[3] !== 0) {
          controller.error(new TypeError(`log stream: byte ${data[0]} does not start a frame header`));
          return;
        }
        remaining = new DataView(data.buffer, data.byteOffset, HEADER).getUint32(4);
        keep = wanted.includes(type);
        data = data.subarray(HEADER);
      }
    },
    flush(controller) {
      if (buffered.length) controller.error(new TypeError("log stream: ends inside a frame header"));
    },
  });
}

/** Passes the first `limit` bytes through, then ends the stream (and cancels its source). */
export function limitBytes(limit: number): TransformStream<Uint8Array, Uint8Array> {
  let left = limit;
  return new TransformStream({
    transform(chunk, controller) {
      if (left <= 0) return;
      const part = chunk.length <= left ? chunk : chunk.subarray(0, left);
      left -= part.length;
      controller.enqueue(part);
      if (left <= 0) controller.terminate();
    },
  });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
