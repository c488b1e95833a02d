import { constants } from "node:fs";
import { open } from "node:fs/promises";

/**
 * The last `maxBytes` bytes of a regular file, through `node:fs`, which Deno
 * and Bun both implement: one positioned read, whatever the file's size. The
 * final component is not followed when it is a link (`ELOOP`), and a file that
 * is not regular (a FIFO, a device) is refused instead of read.
 *
 * @throws when the path is missing, a link, or not a regular file.
 */
export async function readFileTail(path: string, maxBytes: number): Promise<Uint8Array> {
  const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const info = await file.stat();
    if (!info.isFile()) throw new Error(`${path}: not a regular file`);
    const length = Math.min(info.size, maxBytes);
    const buffer = new Uint8Array(length);
    let read = 0;
    // A file that shrinks meanwhile gives fewer bytes; one that grows is read as it was at stat.
    while (read < length) {
      const { bytesRead } = await file.read(buffer, read, length - read, info.size - length + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  } finally {
    await file.close();
  }
}
