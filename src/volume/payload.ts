/**
 * What an API-data volume (configMap, secret, downwardAPI, projected) holds:
 * relative paths with their bytes and modes, the kubelet's
 * `map[string]FileProjection` (pkg/volume/util/atomic_writer.go), and the
 * checks every path passes before anything is written.
 *
 * @module
 */

/** One file of a volume: its bytes and permission bits. */
export interface FileProjection {
  data: Uint8Array;
  /** Permission bits, 0 to 0o777. */
  mode: number;
}

/** The files of a volume by relative path (`a`, `dir/b`). */
export type Payload = Map<string, FileProjection>;

/** A volume could not be set up: the message is the kubelet's (`configmap "x" not found`, ...). */
export class VolumeSetupError extends Error {
  override name = "VolumeSetupError";
}

/** The most bytes one volume's files may hold together: 16 MiB (16 ConfigMaps at their 1 MiB limit). */
export const MAX_VOLUME_BYTES = 16 * 1024 * 1024;
/** The most files one volume may hold. */
export const MAX_VOLUME_FILES = 16384;
/** The longest path and path component, in bytes, as the kubelet's atomic writer allows. */
export const MAX_PATH_BYTES = 4096;
export const MAX_NAME_BYTES = 255;

/** The default mode of API-data volume files (ConfigMapVolumeSourceDefaultMode and its siblings). */
export const DEFAULT_MODE = 0o644;

const encoder = new TextEncoder();

/**
 * The cleaned form of a payload path (`./a//b` is `a/b`), as the kubelet's
 * `validatePath` and `filepath.Clean` allow it: relative, no `..`
 * component, not starting with `..` (the writer's own names), no NUL, at
 * most 4096 bytes with components of at most 255.
 *
 * @throws {VolumeSetupError} saying what is wrong with the path
 */
export function cleanPayloadPath(path: string): string {
  const bad = (why: string) => new VolumeSetupError(`invalid path ${JSON.stringify(path)}: ${why}`);
  if (path === "") throw bad("must not be empty");
  if (path.startsWith("/")) throw bad("must be a relative path");
  if (path.includes("\0")) throw bad("must not hold a NUL byte");
  if (encoder.encode(path).length > MAX_PATH_BYTES) {
    throw bad(`must be at most ${MAX_PATH_BYTES} bytes`);
  }
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw bad("must not contain '..'");
  if (parts.length === 0) throw bad("must name a file");
  if (parts[0].startsWith("..")) throw bad("must not start with '..'");
  if (parts.some((p) => encoder.encode(p).length > MAX_NAME_BYTES)) {
    throw bad(`file names must be at most ${MAX_NAME_BYTES} bytes`);
  }
  return parts.join("/");
}

/**
 * The payload with every path cleaned and checked, and the whole checked
 * against the size bounds; a file that is also another one's directory
 * (`a` and `a/b`) is refused.
 *
 * @throws {VolumeSetupError} for the first path or bound that fails
 */
export function validatePayload(payload: Payload): Payload {
  if (payload.size > MAX_VOLUME_FILES) {
    throw new VolumeSetupError(`${payload.size} files; a volume holds at most ${MAX_VOLUME_FILES}`);
  }
  const clean: Payload = new Map();
  let bytes = 0;
  for (const [path, file] of payload) {
    const cleaned = cleanPayloadPath(path);
    if (!Number.isInteger(file.mode) || file.mode < 0 || file.mode > 0o777) {
      throw new VolumeSetupError(`file ${JSON.stringify(path)}: mode ${file.mode} is not between 0 and 0777`);
    }
    bytes += file.data.length;
    clean.set(cleaned, file);
  }
  if (bytes > MAX_VOLUME_BYTES) {
    throw new VolumeSetupError(`${bytes} bytes of files; a volume holds at most ${MAX_VOLUME_BYTES}`);
  }
  const dirs = new Set<string>();
  for (const path of clean.keys()) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  for (const path of clean.keys()) {
    if (dirs.has(path)) {
      throw new VolumeSetupError(
        `invalid path ${JSON.stringify(path)}: it is a file and another file's directory`,
      );
    }
  }
  return clean;
}

/** A mode from a manifest (validated to 0..0777), or `fallback` when it gives none. */
export function modeOr(mode: unknown, fallback: number): number {
  return typeof mode === "number" ? mode : fallback;
}

/** The UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
