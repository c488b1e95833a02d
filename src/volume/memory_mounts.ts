/**
 * The tmpfs mounts of memory-backed API-data volumes (secret, projected): a
 * Secret's files live only in memory, never on the disk, as the kubelet
 * keeps them (its secret plugin wraps a `medium: Memory` emptyDir, a tmpfs
 * it mounts on the volume's directory).
 *
 * @module
 */
import type { Platform } from "../platform/types.ts";
import { MEMORY_PLUGIN_DIRS } from "./api_data_volume.ts";
import { MAX_VOLUME_BYTES, VolumeSetupError } from "./payload.ts";

/** statfs(2)'s type of a tmpfs. */
export const TMPFS_MAGIC = 0x01021994;

/**
 * The size of one volume's tmpfs: room for two versions at the payload
 * bound (the writer writes the new one before it removes the old), plus
 * directories. tmpfs takes memory only for what is written.
 */
export const MEMORY_VOLUME_BYTES = 2 * MAX_VOLUME_BYTES + 1024 * 1024;

/**
 * Whether `dir` is a mount point: it lives on another device than its
 * parent (what mountpoint(1) checks).
 */
export async function isMountPoint(fs: Pick<Platform, "stat">, dir: string): Promise<boolean> {
  const [self, parent] = await Promise.all([fs.stat(dir), fs.stat(`${dir}/..`)]);
  return self?.dev !== undefined && parent?.dev !== undefined && self.dev !== parent.dev;
}

/**
 * Makes sure a tmpfs is mounted on `dir` (a real directory the caller
 * checked): mounts one unless one is there already.
 *
 * @throws {VolumeSetupError} when it cannot be mounted (the kubelet is not
 *   root, say), or something other than a tmpfs is mounted there: the
 *   volume is then not set up at all, rather than written to disk
 */
export async function ensureMemoryMount(
  fs: Pick<Platform, "stat" | "statfs" | "mountTmpfs">,
  dir: string,
): Promise<void> {
  if (!(await isMountPoint(fs, dir))) {
    try {
      await fs.mountTmpfs(dir, MEMORY_VOLUME_BYTES);
    } catch (error) {
      throw new VolumeSetupError(
        `cannot mount a tmpfs on ${dir} (secret files are never written to disk): ${
          (error as Error).message
        }`,
      );
    }
  }
  const type = (await fs.statfs(dir)).type;
  if (type !== TMPFS_MAGIC || !(await isMountPoint(fs, dir))) {
    throw new VolumeSetupError(`${dir} is not a tmpfs mount; its files would reach the disk`);
  }
}

/**
 * Unmounts the tmpfs of every memory-backed volume of the pod directory
 * `podDir`, so that the directory can be removed. Links are never followed;
 * a mount that will not go is left (the directory removal then fails and is
 * tried again by housekeeping).
 *
 * @returns the directories unmounted
 */
export async function unmountMemoryVolumes(
  fs: Pick<Platform, "readDir" | "stat" | "unmount">,
  podDir: string,
): Promise<string[]> {
  const unmounted: string[] = [];
  for (const plugin of MEMORY_PLUGIN_DIRS) {
    const base = `${podDir}/volumes/${plugin}`;
    const entries = await fs.readDir(base).catch(() => []);
    for (const e of entries) {
      if (!e.isDirectory || e.isSymlink) continue;
      const dir = `${base}/${e.name}`;
      // A few times over: mounts may be stacked (a kubelet killed between a mount and its check).
      for (let i = 0; i < 4 && await isMountPoint(fs, dir); i++) {
        await fs.unmount(dir);
        unmounted.push(dir);
      }
    }
  }
  return unmounted;
}

/** One line of a mountinfo file: where something is mounted, and its file-system type. */
export interface MountEntry {
  mountPoint: string;
  fsType: string;
}

/** The mounts a mountinfo file lists (fields 5 and the one after ` - `, octal escapes decoded). */
export function parseMounts(mountInfo: string): MountEntry[] {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
  return mountInfo.split("\n").filter((l) => l.trim()).map((line) => {
    const fields = line.split(" ");
    const dash = fields.indexOf("-");
    return { mountPoint: unescape(fields[4] ?? ""), fsType: dash >= 0 ? fields[dash + 1] ?? "" : "" };
  });
}

/**
 * The pod UID when `mount` is the tmpfs of one of the kubelet's
 * memory-backed volumes, `<podsDir>/<uid>/volumes/<plugin>/<name>`.
 */
export function memoryVolumeMountUid(podsDir: string, mount: MountEntry): string | undefined {
  if (mount.fsType !== "tmpfs" || !mount.mountPoint.startsWith(`${podsDir}/`)) return undefined;
  const parts = mount.mountPoint.slice(podsDir.length + 1).split("/");
  if (parts.length !== 4 || parts[1] !== "volumes" || !MEMORY_PLUGIN_DIRS.includes(parts[2])) {
    return undefined;
  }
  return parts[0];
}
