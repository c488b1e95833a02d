/**
 * The last lines a container wrote, through the Engine's logs endpoint,
 * with the stdout/stderr framing of a non-TTY container taken apart.
 *
 * @module
 */
import type { Transport } from "./transport.ts";

/**
 * Splits the Engine's multiplexed log stream (8-byte frame headers: stream,
 * three zero bytes, big-endian length) into the bytes of its frames.
 * A body that does not start with a frame header is returned as it is.
 */
export function demuxLogs(body: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = 0;
  while (offset + 8 <= body.length) {
    const stream = body[offset];
    if (stream > 2 || body[offset + 1] !== 0 || body[offset + 2] !== 0 || body[offset + 3] !== 0) {
      return offset === 0 ? body : concat(parts);
    }
    const size = new DataView(body.buffer, body.byteOffset + offset + 4, 4).getUint32(0);
    parts.push(body.subarray(offset + 8, Math.min(body.length, offset + 8 + size)));
    offset += 8 + size;
  }
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), at += p.length);
  return out;
}

/**
 * The last `lines` lines of a container's stdout and stderr, cut to the last
 * `maxBytes` bytes.
 *
 * @param tty whether the container has a TTY (its log is not framed)
 */
export async function tailContainerLogs(
  transport: Transport,
  id: string,
  opts: { lines: number; maxBytes: number; tty: boolean },
): Promise<string> {
  const res = await transport.request("GET", `/containers/${id}/logs`, {
    query: { stdout: true, stderr: true, tail: opts.lines },
  });
  const raw = new Uint8Array(await res.arrayBuffer());
  const bytes = opts.tty ? raw : demuxLogs(raw);
  return new TextDecoder().decode(bytes.subarray(Math.max(0, bytes.length - opts.maxBytes)));
}
