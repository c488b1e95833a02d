/**
 * The kubelet's atomic writer (pkg/volume/util/atomic_writer.go): a volume's
 * files live in a hidden timestamped directory `..2026_11_30_08_10_00.xyz`,
 * `..data` is a link to it, and each top-level name the user sees is a link
 * `name -> ..data/name`. An update writes a new timestamped directory and
 * swaps `..data` over to it with one rename(2), so a reader sees all the old
 * files or all the new ones, never a mix; the old directory is removed after.
 *
 * Nothing in the target directory is trusted: links found there are never
 * followed (only read, and only the writer's own form accepted), files are
 * created with `O_EXCL`, and every path was checked to stay inside.
 *
 * @module
 */
import type { Platform } from "../platform/types.ts";
import { type Payload, validatePayload, VolumeSetupError } from "./payload.ts";

/** What the writer needs of the file system. */
export type WriterFs = Pick<
  Platform,
  | "lstat"
  | "mkdir"
  | "chmod"
  | "writeFile"
  | "remove"
  | "readDir"
  | "readLink"
  | "symlink"
  | "rename"
  | "makeTempDir"
  | "readFileTail"
>;

/** The link to the current timestamped directory. */
export const DATA_DIR_NAME = "..data";
const NEW_DATA_DIR_NAME = "..data_tmp";
/** A timestamped directory's name, as the writer makes them. */
const TS_DIR = /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.[A-Za-z0-9_-]+$/;

const pad = (n: number) => String(n).padStart(2, "0");

/** `..2006_01_02_15_04_05.`, the prefix of a timestamped directory made at `now` (UTC). */
export function timestampPrefix(now: Date): string {
  return `..${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${
    pad(now.getUTCHours())
  }_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}.`;
}

/**
 * The path of the timestamped directory `..data` names in `targetDir`, or
 * undefined when there is none or `..data` is not the writer's own: a link
 * to a sibling with a timestamped name that is a real directory.
 */
export async function currentDataDir(
  fs: Pick<Platform, "lstat" | "readLink">,
  targetDir: string,
): Promise<string | undefined> {
  const link = await fs.lstat(`${targetDir}/${DATA_DIR_NAME}`);
  if (!link?.isSymlink) return undefined;
  const name = await fs.readLink(`${targetDir}/${DATA_DIR_NAME}`);
  if (!TS_DIR.test(name)) return undefined;
  const dir = await fs.lstat(`${targetDir}/${name}`);
  return dir?.isDirectory && !dir.isSymlink ? `${targetDir}/${name}` : undefined;
}

/** The top-level names of a payload's paths: what the user sees in the volume. */
function topLevelNames(payload: Payload): Set<string> {
  return new Set([...payload.keys()].map((p) => p.split("/")[0]));
}

/** Equal bytes. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The regular files under `dir` by relative path, found without following
 * any link (a link is listed as itself, so it never matches a file).
 */
async function listFiles(
  fs: WriterFs,
  dir: string,
  prefix = "",
  out = new Set<string>(),
): Promise<Set<string>> {
  for (const entry of await fs.readDir(dir)) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory && !entry.isSymlink) await listFiles(fs, `${dir}/${entry.name}`, rel, out);
    else out.add(entry.isSymlink ? `${rel} (link)` : rel);
  }
  return out;
}

/** Whether the files of `dir` are exactly `payload` (paths and bytes), read without following links. */
async function holdsPayload(fs: WriterFs, dir: string, payload: Payload): Promise<boolean> {
  const files = await listFiles(fs, dir);
  if (files.size !== payload.size) return false;
  for (const [path, file] of payload) {
    if (!files.has(path)) return false;
    const info = await fs.lstat(`${dir}/${path}`);
    if (!info?.isFile || info.isSymlink || info.size !== file.data.length) return false;
    if (!sameBytes(await fs.readFileTail(`${dir}/${path}`, file.data.length), file.data)) return false;
  }
  return true;
}

/** Whether the user-visible entries of `targetDir` are exactly the links `name -> ..data/name` of `names`. */
async function visibleLinksMatch(fs: WriterFs, targetDir: string, names: Set<string>): Promise<boolean> {
  const entries = (await fs.readDir(targetDir)).filter((e) => !e.name.startsWith(".."));
  if (entries.length !== names.size) return false;
  for (const e of entries) {
    if (!names.has(e.name) || !e.isSymlink) return false;
    if (await fs.readLink(`${targetDir}/${e.name}`) !== `${DATA_DIR_NAME}/${e.name}`) return false;
  }
  return true;
}

/** Writes `payload` into the new directory `dir` (made by the writer itself, so nothing is there yet). */
async function writePayloadToDir(fs: WriterFs, dir: string, payload: Payload): Promise<void> {
  const made = new Set<string>();
  for (const [path, file] of payload) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const sub = parts.slice(0, i).join("/");
      if (made.has(sub)) continue;
      await fs.mkdir(`${dir}/${sub}`, { mode: 0o755 });
      await fs.chmod(`${dir}/${sub}`, 0o755);
      made.add(sub);
    }
    // createNew is O_CREAT | O_EXCL: were anything there (a link), the write fails instead of following it.
    await fs.writeFile(`${dir}/${path}`, file.data, { mode: file.mode, createNew: true });
    // The mode exactly, whatever the umask.
    await fs.chmod(`${dir}/${path}`, file.mode);
  }
}

/**
 * Projects `payload` into `targetDir` atomically, unless it already holds
 * exactly that. Then the user sees the files as `targetDir/<path>`.
 *
 * Steps (the kubelet's): check the payload; compare with the current
 * timestamped directory; write a new one (mode 0755, files with their modes);
 * link `..data_tmp` to it and rename that over `..data`; make the links of
 * new top-level names and remove those of names gone; remove the old
 * timestamped directories.
 *
 * @param targetDir an existing directory the caller made (a link is refused)
 * @returns whether anything was written
 * @throws {VolumeSetupError} for a payload path that could leave the volume, or bounds exceeded
 */
export async function writeAtomically(
  fs: WriterFs,
  targetDir: string,
  payload: Payload,
  now: Date = new Date(),
): Promise<boolean> {
  const clean = validatePayload(payload);
  const target = await fs.lstat(targetDir);
  if (!target?.isDirectory || target.isSymlink) {
    throw new VolumeSetupError(`${targetDir} is not a directory`);
  }
  const names = topLevelNames(clean);
  const current = await currentDataDir(fs, targetDir);
  if (current && await holdsPayload(fs, current, clean) && await visibleLinksMatch(fs, targetDir, names)) {
    return false;
  }

  const tsDir = await fs.makeTempDir(targetDir, timestampPrefix(now));
  const tsName = tsDir.slice(tsDir.lastIndexOf("/") + 1);
  try {
    // 0755 so that containers running as any user can walk the tree (makeTempDir makes 0700).
    await fs.chmod(tsDir, 0o755);
    await writePayloadToDir(fs, tsDir, clean);
    const newData = `${targetDir}/${NEW_DATA_DIR_NAME}`;
    await fs.remove(newData); // a leftover of a write cut short; removed as itself, never followed
    await fs.symlink(tsName, newData);
    // rename(2) of a link over a directory fails: anything but a link at ..data is not the writer's.
    const data = await fs.lstat(`${targetDir}/${DATA_DIR_NAME}`);
    if (data && !data.isSymlink) await fs.remove(`${targetDir}/${DATA_DIR_NAME}`);
    await fs.rename(newData, `${targetDir}/${DATA_DIR_NAME}`);
  } catch (error) {
    await fs.remove(tsDir).catch(() => {});
    throw error;
  }

  for (const entry of await fs.readDir(targetDir)) {
    const path = `${targetDir}/${entry.name}`;
    if (entry.name.startsWith("..")) {
      // Every other timestamped directory is an old version (or a leftover of a write cut short).
      if (entry.name !== tsName && TS_DIR.test(entry.name)) await fs.remove(path);
    } else if (!names.has(entry.name)) {
      await fs.remove(path);
    } else if (!entry.isSymlink || await fs.readLink(path) !== `${DATA_DIR_NAME}/${entry.name}`) {
      await fs.remove(path);
    }
  }
  for (const name of names) {
    const path = `${targetDir}/${name}`;
    if (!(await fs.lstat(path))) await fs.symlink(`${DATA_DIR_NAME}/${name}`, path);
  }
  return true;
}
