/**
 * Splits the Engine's multiplexed stream (attach, logs and exec without a
 * TTY): frames of an 8-byte header — stream type (0 stdin, 1 stdout, 2
 * stderr), three zero bytes, a big-endian 32-bit length — followed by that
 * many bytes. The one frame reader of the Engine client: logs
 * (`demultiplex`), exec output and termination messages all read through it.
 *
 * @module
 */

/** Which stream a frame of a multiplexed stream came from. */
export type StreamType = "stdin" | "stdout" | "stderr";

/** Part of one frame's payload (never empty) and the stream it belongs to. */
export interface Frame {
  stream: StreamType;
  data: Uint8Array;
}

const STREAM_TYPES: StreamType[] = ["stdin", "stdout", "stderr"];
const HEADER = 8;

/**
 * The payloads of a multiplexed byte stream, in order, each with its stream. A payload is passed
 * on as its bytes arrive (a large frame comes in parts), so a followed log is never held back
 * waiting for the rest of a frame. Cancelling the result cancels `source`.
 *
 * @throws {TypeError} (as a stream error) when a header is not a frame header, or the source
 * ends inside a frame.
 */
export function demux(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): ReadableStream<Frame> {
  const reader = readerOf(source);
  let data: Uint8Array = new Uint8Array(0);
  let remaining = 0;
  let stream: StreamType = "stdout";
  return new ReadableStream<Frame>({
    async pull(controller) {
      // Read until at least one payload byte can be passed on, or the source ends.
      for (;;) {
        if (remaining > 0 && data.length > 0) {
          const n = Math.min(remaining, data.length);
          const part = data.slice(0, n);
          remaining -= n;
          data = data.subarray(n);
          return controller.enqueue({ stream, data: part });
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
          stream = type;
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

interface ByteReader {
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}

function readerOf(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): ByteReader {
  if (source instanceof ReadableStream) return source.getReader() as ByteReader;
  const it = source[Symbol.asyncIterator]();
  return {
    read: async () => {
      const r = await it.next();
      return r.done ? { done: true } : { done: false, value: r.value };
    },
    cancel: async () => void await it.return?.(),
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
