/**
 * Reads the static pods of a manifest file or directory
 * (k8s.io/kubernetes pkg/kubelet/config/file.go), one complete snapshot per call.
 *
 * @module
 */

import type { FileInfo, Platform } from "../platform/types.ts";
import { isIgnoredManifestName } from "../manifest/ignored_file.ts";
import { MAX_MANIFEST_BYTES } from "../manifest/limits.ts";
import { addManifestPods } from "./manifest_pods.ts";
import type { Snapshot } from "./snapshot.ts";

/** The file-system calls the file source makes. */
export type ManifestFs = Pick<Platform, "readDir" | "readTextFile" | "stat">;

/** Options for {@linkcode readFileSource}. */
export interface FileSourceOptions {
  /** The node's name, for the static pods' names and UIDs. */
  nodeName: string;
  /** The clock for the `config.seen` annotation. @default {() => new Date()} */
  now?: () => Date;
  /**
   * Whether a file's text may be applied now. A file that is not settled
   * (caught mid-write, say) is left out as if it could not be read: its
   * previous pods keep running, and the caller reads again later.
   * @default {() => true}
   */
  settled?: (file: string, text: string) => boolean;
  /**
   * What each file's text decoded to, by file: a file whose text is the same
   * as last time is not decoded and validated again (the periodic re-read of a
   * directory of unchanged manifests then costs only the reads). Kept by the
   * caller across readings.
   */
  decoded?: Map<string, DecodedFile>;
  /** The wall clock (ms since the epoch) that file times are compared with. @default {Date.now} */
  nowMs?: () => number;
}

/** A file's text, what it decoded to, and the stamp it was read under (see {@linkcode fileStamp}). */
export interface DecodedFile {
  text: string;
  part: Snapshot;
  stamp?: string;
}

/**
 * How long after its last change a file's `stat` is trusted to tell a later
 * change (ms). A write within the file system's timestamp granularity of the
 * one before can leave mtime, ctime and size as they were: a file changed that
 * recently is read whatever its stamp says (git's "racily clean" rule). Deno
 * reports ctime in whole seconds, hence more than one second of margin.
 */
export const RACY_MS = 3_000;

/**
 * A key that changes whenever the file's content may have: device, inode,
 * size, mtime and ctime (which the kernel sets on every write, rename or
 * `touch`, and which no user can set back). `undefined` when the file changed
 * less than {@linkcode RACY_MS} before `nowMs`, or the runtime does not report
 * inode or ctime: it is then read, never trusted.
 */
export function fileStamp(info: FileInfo, nowMs: number): string | undefined {
  if (info.ino === undefined || info.ctimeMs === undefined) return undefined;
  if (nowMs - Math.max(info.mtimeMs, info.ctimeMs) < RACY_MS) return undefined;
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
}

/**
 * Reads every pod under `path`, a manifest file or a directory of them.
 *
 * A directory is listed in sorted order without recursion: sub-directories,
 * dot-files and editor leftovers (see `isIgnoredManifestName`) are skipped,
 * symlinks are followed. Each document of each file is decoded, defaulted,
 * validated and made a static pod. Whatever is wrong becomes a problem naming
 * the file, the line and the field, and never hides the good pods; a file that
 * could not be read or holds a broken document is listed in `failedOrigins`;
 * so is a file larger than `MAX_MANIFEST_BYTES` (1 MiB), of which at most that
 * and one byte is read. A
 * missing `path` gives an empty snapshot, so the source still counts as seen.
 *
 * @throws When `path` exists but cannot be listed, or is neither a file nor a directory.
 */
export async function readFileSource(
  fs: ManifestFs,
  path: string,
  opts: FileSourceOptions,
): Promise<Snapshot> {
  const snapshot: Snapshot = { source: "file", pods: [], problems: [], failedOrigins: [] };
  const info = await fs.stat(path);
  if (info === null) return snapshot;
  const seen = (opts.now ?? (() => new Date()))();
  if (info.isFile) {
    await readManifest(fs, path, opts, seen, snapshot, info);
    return snapshot;
  }
  if (!info.isDirectory) throw new Error(`manifest path ${path} is neither a directory nor a regular file`);
  const entries = await fs.readDir(path);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const dir = path.endsWith("/") ? path : `${path}/`;
  for (const entry of entries) {
    if (isIgnoredManifestName(entry.name)) continue;
    const file = dir + entry.name;
    let { isFile, isDirectory } = entry;
    let target: FileInfo | undefined;
    if (entry.isSymlink) {
      target = await fs.stat(file).catch(() => null) ?? undefined;
      if (target === undefined) {
        // Possibly a link being swapped; keep what it held until it resolves again.
        snapshot.problems.push({ origin: file, message: "symlink target does not exist" });
        snapshot.failedOrigins.push(file);
        continue;
      }
      ({ isFile, isDirectory } = target);
    }
    if (isFile) await readManifest(fs, file, opts, seen, snapshot, target);
    else if (isDirectory) {
      snapshot.problems.push({ origin: file, message: "is a directory; sub-directories are not read" });
    } else snapshot.problems.push({ origin: file, message: "is not a regular file; skipped" });
  }
  return snapshot;
}

/** Adds one manifest file's pods and problems to `snapshot`. */
async function readManifest(
  fs: ManifestFs,
  file: string,
  opts: FileSourceOptions,
  seen: Date,
  snapshot: Snapshot,
  /** The file's `stat` (links followed), when the caller has one. */
  info?: FileInfo,
) {
  const fail = (message: string, line?: number) => {
    snapshot.problems.push(line === undefined ? { origin: file, message } : { origin: file, line, message });
    if (!snapshot.failedOrigins.includes(file)) snapshot.failedOrigins.push(file);
  };
  let cached = opts.decoded?.get(file);
  // The stamp is taken before the read: a change between the two gives the next reading a new stamp.
  let stamp: string | undefined;
  if (opts.decoded) {
    info ??= await fs.stat(file).catch(() => undefined) ?? undefined;
    if (info) stamp = fileStamp(info, (opts.nowMs ?? Date.now)());
  }
  let text: string;
  try {
    // A file whose stamp is what it was when its cached text was read still holds that text.
    text = stamp !== undefined && cached?.stamp === stamp
      ? cached.text
      : await fs.readTextFile(file, { maxBytes: MAX_MANIFEST_BYTES });
  } catch (error) {
    if (error instanceof RangeError) {
      return fail(`file is larger than ${MAX_MANIFEST_BYTES} bytes, the limit for a manifest; not read`);
    }
    // Removed between listing and reading: the file is simply gone.
    if (await fs.stat(file).catch(() => undefined) === null) return;
    return fail(`cannot read: ${(error as Error).message}`);
  }
  // An editor that truncates before writing can be caught in between: keep the last good pods.
  if (opts.settled && !opts.settled(file, text)) {
    if (!snapshot.failedOrigins.includes(file)) snapshot.failedOrigins.push(file);
    return;
  }
  if (text.trim() === "") return fail("file is empty");
  if (cached?.text !== text) {
    const part: Snapshot = {
      source: "file",
      pods: [],
      problems: [],
      failedOrigins: [],
      warnings: [],
      notes: [],
    };
    await addManifestPods(text, { source: "file", origin: file, nodeName: opts.nodeName, seen }, part);
    cached = { text, part };
    opts.decoded?.set(file, cached);
  }
  cached.stamp = stamp;
  const { part } = cached;
  snapshot.pods.push(...part.pods);
  if (part.configMaps?.length) (snapshot.configMaps ??= []).push(...part.configMaps);
  if (part.secrets?.length) (snapshot.secrets ??= []).push(...part.secrets);
  snapshot.problems.push(...part.problems);
  for (const o of part.failedOrigins) if (!snapshot.failedOrigins.includes(o)) snapshot.failedOrigins.push(o);
  if (part.warnings?.length) (snapshot.warnings ??= []).push(...part.warnings);
  if (part.notes?.length) (snapshot.notes ??= []).push(...part.notes);
}
