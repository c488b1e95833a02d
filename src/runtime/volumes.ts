/**
 * The volume manager: makes a pod's emptyDir and hostPath volumes ready on
 * the host before its containers start, and removes them when the pod goes.
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

type Fs = Pick<Platform, "stat" | "mkdir" | "chmod" | "writeFile" | "remove">;

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
): Promise<Record<string, VolumeSource>> {
  const uid = pod.metadata.uid!;
  const sources: Record<string, VolumeSource> = {};
  for (const v of pod.spec.volumes ?? []) {
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
 * Removes what the volume manager made for pod `uid`: its directory and its
 * tmpfs volumes.
 *
 * @throws {Error} without removing anything when `uid` is not one safe path
 *   component, so the path removed is always a direct child of `<root-dir>/pods`
 */
export async function removePodVolumes(
  fs: Fs,
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
  await fs.remove(dir);
}
