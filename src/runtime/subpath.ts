/**
 * Resolves a volumeMount's `subPath` inside its volume without following
 * symbolic links, creating missing directories one component at a time
 * (k8s.io/kubernetes pkg/volume/util/subpath/subpath_linux.go
 * `doSafeMakeDir` and `safeOpenSubPath`). A workload owns what is inside its
 * volume: a link it planted (`ln -s / /data/escape`) must never turn a
 * subPath into a host path outside the volume.
 *
 * The kubelet opens each component with `O_NOFOLLOW` and bind-mounts
 * `/proc/self/fd/N`, so nothing can change between its check and the mount.
 * The Engine takes a path, not a descriptor, so here the check runs right
 * before the container is created and a workload that swaps a checked
 * directory for a link in that moment still wins the race (see the README).
 *
 * @module
 */
import type { Container } from "../api/types.ts";
import type { Platform } from "../platform/types.ts";
import type { VolumeSource } from "./volume_source.ts";
import { currentDataDir } from "../volume/atomic_writer.ts";

type Fs = Pick<Platform, "lstat" | "mkdir">;

/** A subPath that cannot be used safely: it holds `..`, crosses a link or a non-directory. */
export class SubPathError extends Error {
  override name = "SubPathError";
}

/**
 * The host path of `subPath` inside the volume at `base`, checked component
 * by component with `lstat`: no component may be a symbolic link, every one
 * but the last must be a directory. A missing component is created as a
 * directory (mode 0755, as the kubelet does) and checked again after the
 * `mkdir`. The whole chain is checked once more before the path is returned.
 *
 * @param base the volume's host directory, trusted (the kubelet made it or the manifest names it)
 * @param subPath the manifest's relative path inside the volume
 * @throws {SubPathError} naming the offending component
 */
export async function resolveSubPath(fs: Fs, base: string, subPath: string): Promise<string> {
  const parts = subPathComponents(subPath);
  const root = base.replace(/\/+$/, "") || "/";
  if (parts.length === 0) return root;
  let current = root;
  for (const [i, part] of parts.entries()) {
    const path = `${current === "/" ? "" : current}/${part}`;
    let info = await fs.lstat(path);
    if (!info) {
      // One component at a time: the parent was just checked to be a real directory.
      await fs.mkdir(path, { mode: 0o755 });
      info = await fs.lstat(path);
      if (!info) {
        throw new SubPathError(`subPath ${JSON.stringify(subPath)}: ${path} vanished after it was made`);
      }
    }
    checkComponent(subPath, path, info, i === parts.length - 1);
    current = path;
  }
  // Again, nearest to the mount: a component may have been swapped for a link meanwhile.
  await verifySubPath(fs, root, subPath);
  return current;
}

/**
 * The checked host paths of a container's subPath mounts on disk-backed
 * volumes, by the mount's index in `volumeMounts` (what `buildMounts` takes).
 * In an API-data volume (the atomic writer's layout) a subPath resolves in
 * the timestamped directory `..data` names now, so the mount holds that
 * version and, as in the kubelet, does not see later updates.
 *
 * @throws {SubPathError} for the first subPath that cannot be used safely
 */
export async function resolveSubPaths(
  fs: Fs & Pick<Platform, "readLink">,
  container: Container,
  volumes: Record<string, VolumeSource>,
): Promise<Record<number, string>> {
  const paths: Record<number, string> = {};
  for (const [i, m] of (container.volumeMounts ?? []).entries()) {
    const volume = volumes[m.name];
    if (m.subPath && volume?.kind === "bind") {
      try {
        const base = volume.atomic ? await currentDataDir(fs, volume.path) : volume.path;
        if (base === undefined) {
          throw new SubPathError(`subPath ${JSON.stringify(m.subPath)}: the volume holds no data`);
        }
        paths[i] = await resolveSubPath(fs, base, m.subPath);
      } catch (error) {
        if (error instanceof SubPathError) throw new SubPathError(`volumeMount ${m.name}: ${error.message}`);
        throw new SubPathError(
          `volumeMount ${m.name}: subPath ${JSON.stringify(m.subPath)}: ${(error as Error).message}`,
        );
      }
    }
  }
  return paths;
}

/**
 * Checks, without creating anything, that every component of `subPath` under
 * `base` exists and is no symbolic link (every one but the last a directory).
 *
 * @throws {SubPathError} naming the offending component
 */
export async function verifySubPath(
  fs: Pick<Platform, "lstat">,
  base: string,
  subPath: string,
): Promise<void> {
  const parts = subPathComponents(subPath);
  let current = base.replace(/\/+$/, "");
  for (const [i, part] of parts.entries()) {
    current = `${current}/${part}`;
    const info = await fs.lstat(current);
    if (!info) throw new SubPathError(`subPath ${JSON.stringify(subPath)}: ${current} does not exist`);
    checkComponent(subPath, current, info, i === parts.length - 1);
  }
}

/**
 * The components of a relative subPath, `.` and empty ones dropped.
 *
 * @throws {SubPathError} for an absolute path or a `..` component
 */
export function subPathComponents(subPath: string): string[] {
  if (subPath.startsWith("/")) {
    throw new SubPathError(`subPath ${JSON.stringify(subPath)}: must be a relative path`);
  }
  if (subPath.includes("\0")) throw new SubPathError(`subPath ${JSON.stringify(subPath)}: holds a NUL byte`);
  const parts = subPath.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) {
    throw new SubPathError(`subPath ${JSON.stringify(subPath)}: must not contain '..'`);
  }
  return parts;
}

function checkComponent(
  subPath: string,
  path: string,
  info: { isSymlink: boolean; isDirectory: boolean },
  last: boolean,
): void {
  if (info.isSymlink) {
    throw new SubPathError(
      `subPath ${JSON.stringify(subPath)}: ${path} is a symbolic link; a subPath must not cross links`,
    );
  }
  if (!last && !info.isDirectory) {
    throw new SubPathError(`subPath ${JSON.stringify(subPath)}: ${path} is not a directory`);
  }
}
