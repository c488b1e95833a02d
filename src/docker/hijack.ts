/**
 * The Engine's hijacked connections (`POST /exec/{id}/start` with
 * `Upgrade: tcp`): after the response head, the same connection carries the
 * process's input one way and its output the other, which `fetch` cannot
 * do. We write the HTTP/1.1 request ourselves on a raw connection.
 *
 * @module
 */
import type { RawConnection } from "../platform/types.ts";
import { DockerError } from "./docker_error.ts";

/** At most this much response head is read (the Engine's is about 150 bytes). */
const MAX_HEAD = 16 << 10;

/**
 * Sends `POST path` with a JSON `body` asking to upgrade the connection, and
 * resolves the raw stream that follows the response head.
 *
 * @throws {DockerError} carrying the status and the Engine's message when it does not upgrade
 */
export async function hijack(
  conn: RawConnection,
  path: string,
  body: unknown,
): Promise<AsyncIterable<Uint8Array>> {
  const json = new TextEncoder().encode(JSON.stringify(body));
  const head = `POST ${path} HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${json.length}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`;
  const request = new Uint8Array([...new TextEncoder().encode(head), ...json]);
  await conn.write(request);
  const reader = conn.readable.getReader();
  let buffer = new Uint8Array(0);
  let end = -1;
  while (end < 0) {
    const { value, done } = await reader.read();
    if (done) throw new DockerError(0, `POST ${path}`, "the Engine closed the connection before answering");
    const joined = new Uint8Array(buffer.length + value.length);
    joined.set(buffer);
    joined.set(value, buffer.length);
    buffer = joined;
    for (let i = 0; i + 3 < buffer.length; i++) {
      if (buffer[i] === 13 && buffer[i + 1] === 10 && buffer[i + 2] === 13 && buffer[i + 3] === 10) {
        end = i;
        break;
      }
    }
    if (end < 0 && buffer.length > MAX_HEAD) {
      throw new DockerError(0, `POST ${path}`, "response head too long");
    }
  }
  const text = new TextDecoder().decode(buffer.subarray(0, end));
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
  const rest = buffer.slice(end + 4);
  if (status !== 101 && status !== 200) {
    // The error body is short JSON ({"message": ...}); read what came with the head.
    const raw = new TextDecoder().decode(rest).trim();
    let message = raw;
    try {
      message = JSON.parse(raw).message ?? raw;
    } catch { /* plain text */ }
    reader.releaseLock();
    throw new DockerError(status, `POST ${path}`, message);
  }
  return (async function* () {
    if (rest.length) yield rest;
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  })();
}
