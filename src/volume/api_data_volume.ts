/**
 * The volumes whose files come from the API (configMap, secret, downwardAPI,
 * projected): where each lives under `--root-dir`, whether it is kept in
 * memory, and what it holds for a pod.
 *
 * @module
 */
import type { Pod, Volume } from "../api/types.ts";
import type { ConfigObjects } from "../api/config_objects.ts";
import { configMapPayload } from "./configmap.ts";
import { downwardAPIPayload, type NodeAllocatable } from "./downward_api.ts";
import { DEFAULT_MODE, modeOr, type Payload } from "./payload.ts";
import { projectedPayload } from "./projected.ts";
import { secretPayload } from "./secret.ts";

/** How one kind of API-data volume is laid out, as the kubelet's plugin for it does. */
export interface ApiDataPlugin {
  /** The plugin's directory under `<pod dir>/volumes`: `kubernetes.io~configmap`, ... */
  dir: string;
  /**
   * Whether the volume is a tmpfs, so its files never touch the disk: secret
   * and projected volumes wrap a `medium: Memory` emptyDir in the kubelet.
   */
  memory: boolean;
}

const PLUGINS = {
  configMap: { dir: "kubernetes.io~configmap", memory: false },
  secret: { dir: "kubernetes.io~secret", memory: true },
  downwardAPI: { dir: "kubernetes.io~downward-api", memory: false },
  projected: { dir: "kubernetes.io~projected", memory: true },
} as const satisfies Record<string, ApiDataPlugin>;

/** The plugin of an API-data volume, or undefined for any other volume (emptyDir, hostPath). */
export function apiDataPlugin(volume: Volume): ApiDataPlugin | undefined {
  if (volume.configMap) return PLUGINS.configMap;
  if (volume.secret) return PLUGINS.secret;
  if (volume.downwardAPI) return PLUGINS.downwardAPI;
  if (volume.projected) return PLUGINS.projected;
  return undefined;
}

/** The plugin directories of memory-backed API-data volumes (housekeeping unmounts what is mounted in them). */
export const MEMORY_PLUGIN_DIRS: readonly string[] = Object.values(PLUGINS)
  .filter((p) => p.memory).map((p) => p.dir);

/**
 * The files an API-data volume holds for `pod` now, as its plugin makes
 * them, before any path is checked (the writer checks them).
 *
 * @throws {VolumeSetupError} with the kubelet's message when an object or key it needs is missing
 */
export function apiDataPayload(
  pod: Pod,
  volume: Volume,
  objects: ConfigObjects,
  node: NodeAllocatable,
): Payload {
  const namespace = pod.metadata.namespace ?? "default";
  if (volume.configMap) {
    const source = volume.configMap;
    const configMap = objects.configMap(namespace, source.name);
    return configMapPayload(source, configMap, modeOr(source.defaultMode, DEFAULT_MODE));
  }
  if (volume.secret) {
    const source = volume.secret;
    const ref = { name: source.secretName, items: source.items, optional: source.optional };
    return secretPayload(
      ref,
      objects.secret(namespace, source.secretName),
      modeOr(source.defaultMode, DEFAULT_MODE),
    );
  }
  if (volume.downwardAPI) {
    const source = volume.downwardAPI;
    return downwardAPIPayload(source.items, pod, modeOr(source.defaultMode, DEFAULT_MODE), node);
  }
  if (volume.projected) return projectedPayload(volume.projected, pod, objects, node);
  return new Map();
}
