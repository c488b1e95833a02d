/**
 * Byte-stream transforms for container logs: demultiplexing the Engine's
 * stdout/stderr frames, and cutting a stream off after a number of bytes.
 *
 * @module
 */
import { demux, type StreamType } from "./demux.ts";

/** Which stream a frame of a multiplexed log came from. */
export type LogStreamType = StreamType;

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
  const frames = demux(source).getReader();
  return new ReadableStream({
    async pull(controller) {
      for (;;) {
        const { done, value } = await frames.read();
        if (done) return controller.close();
        if (wanted.includes(value.stream)) return controller.enqueue(value.data);
      }
    },
    cancel: (reason) => frames.cancel(reason),
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
