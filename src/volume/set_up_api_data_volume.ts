/**
 * Sets up (and, on every later sync, updates) an API-data volume the way the
 * kubelet's plugins do in `SetUpAt`: the volume's directory under the pod's
 * directory (`<root-dir>/pods/<uid>/volumes/kubernetes.io~configmap/<name>`),
 * a tmpfs on it for secret and projected volumes, and the files written by
 * the atomic writer.
 *
 * @module
 */
import type { Pod, Volume } from "../api/types.ts";
import type { ConfigObjects } from "../api/config_objects.ts";
import type { Platform } from "../platform/types.ts";
import { apiDataPayload, apiDataPlugin } from "./api_data_volume.ts";
import { writeAtomically, type WriterFs } from "./atomic_writer.ts";
import type { NodeAllocatable } from "./downward_api.ts";
import { ensureMemoryMount } from "./memory_mounts.ts";
import { VolumeSetupError } from "./payload.ts";

/** What setting up an API-data volume needs of the file system. */
export type ApiDataFs = WriterFs & Pick<Platform, "stat" | "statfs" | "mountTmpfs">;

/** Where an API-data volume lives and what it needs. */
export interface ApiDataVolumeContext {
  /** The pod's directory, `<root-dir>/pods/<uid>` (see `podDir`). */
  podDir: string;
  objects: ConfigObjects;
  node: NodeAllocatable;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The host directory of an API-data volume of a pod, or undefined for other volumes. */
export function apiDataVolumeDir(podDir: string, volume: Volume): string | undefined {
  const plugin = apiDataPlugin(volume);
  return plugin && `${podDir}/volumes/${plugin.dir}/${volume.name}`;
}

/** Makes `dir` (under the trusted `base`) one real directory at a time, refusing links on the way. */
async function makeRealDir(fs: ApiDataFs, base: string, rel: string[]): Promise<string> {
  let path = base;
  for (const part of rel) {
    path = `${path}/${part}`;
    let info = await fs.lstat(path);
    if (!info) {
      await fs.mkdir(path, { mode: 0o755 });
      info = await fs.lstat(path);
    }
    if (!info?.isDirectory || info.isSymlink) throw new VolumeSetupError(`${path} is not a directory`);
  }
  return path;
}

/**
 * Writes what `volume` holds for `pod` now into its directory, making the
 * directory (and its tmpfs) first; a volume that holds it already is left
 * as it is. The message of a failure is the kubelet's FailedMount message:
 * `MountVolume.SetUp failed for volume "v" : configmap "x" not found`.
 *
 * @returns the volume's host directory, to bind-mount read-only
 * @throws {VolumeSetupError} when an object it needs is missing, or the files cannot be written
 */
export async function setUpApiDataVolume(
  fs: ApiDataFs,
  ctx: ApiDataVolumeContext,
  pod: Pod,
  volume: Volume,
): Promise<string> {
  const plugin = apiDataPlugin(volume);
  try {
    // The name is validated as a DNS label already; it becomes a path component, so once more.
    if (!plugin || !NAME.test(volume.name)) {
      throw new VolumeSetupError("not an API-data volume with a valid name");
    }
    const payload = apiDataPayload(pod, volume, ctx.objects, ctx.node);
    const dir = await makeRealDir(fs, ctx.podDir, ["volumes", plugin.dir, volume.name]);
    if (plugin.memory) await ensureMemoryMount(fs, dir);
    await writeAtomically(fs, dir, payload);
    return dir;
  } catch (error) {
    const why = (error as Error).message;
    throw new VolumeSetupError(`MountVolume.SetUp failed for volume ${JSON.stringify(volume.name)} : ${why}`);
  }
}
