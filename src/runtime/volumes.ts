/**
 * The volume manager: makes a pod's volumes ready on the host before its
 * containers start (emptyDir, hostPath, and the API-data volumes configMap,
 * secret, downwardAPI and projected, which every sync brings up to date),
 * and removes them when the pod goes.
 *
 * @module
 */
import { parseQuantity } from "../api/quantity.ts";
import { isSafePodUid } from "../api/pod_uid.ts";
import type { Pod, Volume } from "../api/types.ts";
import type { DockerClient } from "../docker/client.ts";
import type { Platform } from "../platform/types.ts";
import type { VolumeSource } from "./volume_source.ts";
import { LABEL_NODE, LABEL_POD_UID } from "./labels.ts";
import type { ConfigObjects } from "../api/config_objects.ts";
import type { NodeAllocatable } from "../volume/downward_api.ts";
import { apiDataPlugin } from "../volume/api_data_volume.ts";
import { unmountMemoryVolumes } from "../volume/memory_mounts.ts";
import { type ApiDataFs, setUpApiDataVolume } from "../volume/set_up_api_data_volume.ts";

type Fs = Pick<Platform, "stat" | "mkdir" | "chmod" | "writeFile" | "remove">;

/** What the API-data volumes (configMap, secret, downwardAPI, projected) are made from. */
export interface ApiDataSources {
  fs: ApiDataFs;
  objects: ConfigObjects;
  /** The node's allocatable CPU and memory (a downward API limit a container does not set). */
  node: () => Promise<NodeAllocatable>;
}

/** Whether the pod has a volume whose files come from the API (configMap, secret, downwardAPI, projected). */
export function hasApiDataVolumes(pod: Pod): boolean {
  return (pod.spec.volumes ?? []).some((v) => apiDataPlugin(v) !== undefined);
}

/**
 * Writes every API-data volume of `pod` as it should be now (the atomic
 * writer leaves one that holds it already untouched). Each volume is set up
 * on its own, as the kubelet mounts them: one whose object is missing does
 * not hold back the updates of the others.
 *
 * @returns where each volume lives, by name, and the FailedMount error of each volume that could not be set up
 */
export async function setUpApiDataVolumes(
  sources: ApiDataSources,
  rootDir: string,
  pod: Pod,
): Promise<{ volumes: Record<string, VolumeSource>; errors: Error[] }> {
  const volumes: Record<string, VolumeSource> = {};
  const errors: Error[] = [];
  const api = (pod.spec.volumes ?? []).filter((v) => apiDataPlugin(v) !== undefined);
  if (api.length === 0) return { volumes, errors };
  const ctx = {
    podDir: podDir(rootDir, pod.metadata.uid!),
    objects: sources.objects,
    node: await sources.node(),
  };
  for (const v of api) {
    try {
      // Read-only whatever the mount says, as the kubelet mounts them; subPaths resolve inside `..data`.
      const path = await setUpApiDataVolume(sources.fs, ctx, pod, v);
      volumes[v.name] = { kind: "bind", path, readOnly: true, atomic: true };
    } catch (error) {
      errors.push(error as Error);
    }
  }
  return { volumes, errors };
}

/**
 * The directory of a pod under `--root-dir`, as the kubelet lays it out:
 * always a direct child of `<root-dir>/pods`.
 *
 * @throws {Error} when `uid` is not one safe path component (`..`, `.`, `a/b`, "")
 */
export function podDir(rootDir: string, uid: string): string {
  if (!isSafePodUid(uid)) {
    throw new Error(`pod UID ${JSON.stringify(uid)} is not a safe directory name; refusing to use it`);
  }
  return `${rootDir.replace(/\/+$/, "")}/pods/${uid}`;
}

/** The host directory of an emptyDir volume. */
export function emptyDirPath(rootDir: string, uid: string, name: string): string {
  return `${podDir(rootDir, uid)}/volumes/kubernetes.io~empty-dir/${name}`;
}

/** The Docker volume that backs an emptyDir with `medium: Memory`. */
export function memoryVolumeName(uid: string, name: string): string {
  return `k8s_${uid}_${name}`;
}

const parent = (path: string) => path.replace(/\/[^/]*\/?$/, "") || "/";

/**
 * Checks, or creates, a hostPath as its `type` asks.
 *
 * @throws {Error} with the kubelet's wording when the path is not of the type.
 */
export async function prepareHostPath(fs: Fs, volume: Volume): Promise<string> {
  const { path, type = "" } = volume.hostPath!;
  const info = await fs.stat(path);
  const fail = (what: string) => {
    throw new Error(`hostPath type check failed: ${path} is not a ${what}`);
  };
  switch (type) {
    case "":
      // The Engine's structured mounts, unlike its old `Binds`, do not make a missing source: make it as Binds did.
      if (!info) await fs.mkdir(path, { mode: 0o755 });
      break;
    case "DirectoryOrCreate":
      if (!info) await fs.mkdir(path, { mode: 0o755 });
      else if (!info.isDirectory) fail("directory");
      break;
    case "FileOrCreate":
      if (!info) {
        await fs.mkdir(parent(path), { mode: 0o755 });
        await fs.writeFile(path, "", { mode: 0o644 });
      } else if (!info.isFile) fail("file");
      break;
    case "Directory":
      if (!info?.isDirectory) fail("directory");
      break;
    case "File":
      if (!info?.isFile) fail("file");
      break;
    case "Socket":
      if (!info?.isSocket) fail("socket");
      break;
    case "CharDevice":
      if (!info?.isCharDevice) fail("character device");
      break;
    case "BlockDevice":
      if (!info?.isBlockDevice) fail("block device");
      break;
  }
  return path;
}

/**
 * Makes every volume of `pod` ready and says where each lives.
 *
 * @throws {Error} naming the volume when one cannot be prepared.
 */
export async function preparePodVolumes(
  fs: Fs,
  docker: DockerClient,
  rootDir: string,
  node: string,
  pod: Pod,
  apiData?: ApiDataSources,
): Promise<Record<string, VolumeSource>> {
  const uid = pod.metadata.uid!;
  const sources: Record<string, VolumeSource> = {};
  if (hasApiDataVolumes(pod)) {
    if (!apiData) {
      throw new Error("configMap, secret, downwardAPI and projected volumes need the kubelet's objects");
    }
    const { volumes, errors } = await setUpApiDataVolumes(apiData, rootDir, pod);
    if (errors.length > 0) throw errors[0];
    Object.assign(sources, volumes);
  }
  for (const v of pod.spec.volumes ?? []) {
    if (apiDataPlugin(v)) continue;
    try {
      if (v.hostPath) {
        sources[v.name] = { kind: "bind", path: await prepareHostPath(fs, v) };
      } else if (v.emptyDir?.medium === "Memory") {
        const volumeName = memoryVolumeName(uid, v.name);
        const options: Record<string, string> = { type: "tmpfs", device: "tmpfs" };
        if (v.emptyDir.sizeLimit) options.o = `size=${Math.ceil(parseQuantity(v.emptyDir.sizeLimit))}`;
        await docker.createVolume(volumeName, { [LABEL_NODE]: node, [LABEL_POD_UID]: uid }, options);
        sources[v.name] = { kind: "tmpfs", volumeName };
      } else {
        const path = emptyDirPath(rootDir, uid, v.name);
        // 0777 like the kubelet's emptyDir, so containers running as any user can write.
        await fs.mkdir(path);
        await fs.chmod(path, 0o777);
        sources[v.name] = { kind: "bind", path };
      }
    } catch (error) {
      throw new Error(`volume ${JSON.stringify(v.name)}: ${(error as Error).message}`);
    }
  }
  return sources;
}

/**
 * Removes what the volume manager made for pod `uid`: its directory, its
 * tmpfs volumes, and the tmpfs mounts of its secret and projected volumes
 * (unmounted first; when `fs` cannot unmount, a directory holding one is
 * left to housekeeping).
 *
 * @throws {Error} without removing anything when `uid` is not one safe path
 *   component, so the path removed is always a direct child of `<root-dir>/pods`
 */
export async function removePodVolumes(
  fs: Fs & Partial<Pick<Platform, "readDir" | "unmount">>,
  docker: DockerClient,
  rootDir: string,
  node: string,
  uid: string,
): Promise<void> {
  // A container labelled by someone else may carry no uid, or a path: never remove more than one pod's directory.
  if (!isSafePodUid(uid)) return;
  const dir = podDir(rootDir, uid);
  for (const name of await docker.listVolumes([`${LABEL_NODE}=${node}`, `${LABEL_POD_UID}=${uid}`])) {
    await docker.removeVolume(name);
  }
  if (fs.readDir && fs.unmount) {
    await unmountMemoryVolumes({ readDir: fs.readDir, stat: fs.stat, unmount: fs.unmount }, dir);
  }
  await fs.remove(dir);
}
