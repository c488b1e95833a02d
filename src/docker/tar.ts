/**
 * A ustar (POSIX.1-1988) archive writer that works in memory, for building
 * small image layers such as the pause image sent to
 * `POST /images/create?fromSrc=-`.
 *
 * @module
 */

/** One file or directory to put in an archive. */
export interface TarEntry {
  /**
   * Path inside the archive, "/"-separated. Leading "/" and "./" are dropped
   * (so "/pause" is stored as "pause"), as GNU tar does.
   */
  name: string;
  /** File contents, none by default; ignored for directories. */
  data?: Uint8Array;
  /** Permission bits: 0o644 for files and 0o755 for directories by default. */
  mode?: number;
  /**
   * What the entry is.
   *
   * @default {"file"}
   */
  type?: "file" | "directory";
}

const BLOCK = 512;
const NAME_MAX = 100;
const PREFIX_MAX = 155;
// 11 octal digits in the 12-byte size field.
const SIZE_MAX = 0o77777777777;

const encoder = new TextEncoder();

/**
 * Writes a ustar archive holding `entries` in the order given. Every entry
 * has owner and group 0 and modification time 0, so the same entries always
 * give the same bytes. The archive ends with the two zero blocks tar expects.
 *
 * A name longer than 100 bytes is split at a "/" into the ustar prefix (up to
 * 155 bytes) and name (up to 100 bytes).
 *
 * @throws {RangeError} When a name is empty, contains a NUL byte, or cannot be
 * split to fit the ustar fields; when a mode is not an integer in 0..0o7777;
 * or when a file is 8 GiB or larger.
 */
export function tar(entries: TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  for (const entry of entries) {
    const isDirectory = entry.type === "directory";
    const data = isDirectory ? new Uint8Array(0) : entry.data ?? new Uint8Array(0);
    const header = _header(entry, isDirectory, data.length);
    parts.push(header, data);
    length += header.length + _padded(data.length);
  }
  length += 2 * BLOCK;

  const archive = new Uint8Array(length);
  let offset = 0;
  for (let i = 0; i < parts.length; i += 2) {
    archive.set(parts[i], offset);
    offset += BLOCK;
    archive.set(parts[i + 1], offset);
    offset += _padded(parts[i + 1].length);
  }
  return archive;
}

function _header(entry: TarEntry, isDirectory: boolean, size: number): Uint8Array {
  let path = entry.name.replace(/^(\.?\/)+/, "");
  if (isDirectory && !path.endsWith("/")) path += "/";
  if (path === "" || path === "/") {
    throw new RangeError(`tar: entry name ${JSON.stringify(entry.name)} names no file`);
  }
  if (path.includes("\0")) {
    throw new RangeError(`tar: entry name ${JSON.stringify(entry.name)} contains a NUL byte`);
  }
  const mode = entry.mode ?? (isDirectory ? 0o755 : 0o644);
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    throw new RangeError(`tar: mode ${mode} of ${path} is not an integer in 0..0o7777`);
  }
  if (size > SIZE_MAX) {
    throw new RangeError(`tar: ${path} is ${size} bytes; ustar holds at most ${SIZE_MAX}`);
  }
  const [prefix, name] = _splitName(path);

  const header = new Uint8Array(BLOCK);
  header.set(name, 0);
  _octal(header, 100, 8, mode);
  _octal(header, 108, 8, 0); // uid
  _octal(header, 116, 8, 0); // gid
  _octal(header, 124, 12, size);
  _octal(header, 136, 12, 0); // mtime
  header[156] = isDirectory ? 0x35 /* "5" */ : 0x30 /* "0" */;
  header.set(encoder.encode("ustar\0" + "00"), 257);
  header.set(prefix, 345);

  // The checksum is summed with its own field read as eight spaces.
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  _octal(header, 148, 7, sum);
  return header;
}

/** Splits a path into ustar's prefix and name fields, as UTF-8 bytes. */
function _splitName(path: string): [Uint8Array, Uint8Array] {
  const bytes = encoder.encode(path);
  if (bytes.length <= NAME_MAX) return [new Uint8Array(0), bytes];
  // Directories keep their trailing "/" in the name part, so search before it.
  const end = path.endsWith("/") ? path.length - 1 : path.length;
  for (let cut = path.lastIndexOf("/", end - 1); cut > 0; cut = path.lastIndexOf("/", cut - 1)) {
    const prefix = encoder.encode(path.slice(0, cut));
    const name = encoder.encode(path.slice(cut + 1));
    if (name.length > NAME_MAX) break;
    if (prefix.length <= PREFIX_MAX) return [prefix, name];
  }
  throw new RangeError(
    `tar: name ${JSON.stringify(path)} (${bytes.length} bytes) does not fit ustar: ` +
      `it needs a "/" that leaves at most ${PREFIX_MAX} bytes before it and ${NAME_MAX} after it`,
  );
}

/** Writes `value` as zero-padded octal digits in `width - 1` bytes plus a NUL. */
function _octal(header: Uint8Array, offset: number, width: number, value: number): void {
  const digits = value.toString(8).padStart(width - 1, "0");
  header.set(encoder.encode(digits), offset);
  header[offset + width - 1] = 0;
}

function _padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}
