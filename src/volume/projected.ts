/**
 * The files of a projected volume: ConfigMaps, Secrets and downward API
 * items together in one directory, as the kubelet's projected volume plugin
 * collects them (pkg/volume/projected/projected.go `collectData`).
 *
 * @module
 */
import type { Pod, ProjectedVolumeSource } from "../api/types.ts";
import type { ConfigObjects } from "../api/config_objects.ts";
import { configMapPayload } from "./configmap.ts";
import { downwardAPIPayload, type NodeAllocatable } from "./downward_api.ts";
import { DEFAULT_MODE, modeOr, type Payload, VolumeSetupError } from "./payload.ts";
import { secretPayload } from "./secret.ts";

/**
 * The payload of a projected volume: each source's files in order (a later
 * source's file replaces an earlier one's at the same path, as in the
 * kubelet), all with the volume's `defaultMode` unless an item says
 * otherwise. Every source is tried; failures are reported together.
 *
 * @throws {VolumeSetupError} with the kubelet's messages (`configmap "x" not found`, ...)
 */
export function projectedPayload(
  source: ProjectedVolumeSource,
  pod: Pod,
  objects: ConfigObjects,
  node: NodeAllocatable,
): Payload {
  const namespace = pod.metadata.namespace ?? "default";
  const defaultMode = modeOr(source.defaultMode, DEFAULT_MODE);
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const projection of source.sources ?? []) {
    try {
      let files: Payload = new Map();
      if (projection.configMap) {
        const ref = projection.configMap;
        files = configMapPayload(ref, objects.configMap(namespace, ref.name), defaultMode);
      } else if (projection.secret) {
        const ref = projection.secret;
        files = secretPayload(ref, objects.secret(namespace, ref.name), defaultMode);
      } else if (projection.downwardAPI) {
        files = downwardAPIPayload(projection.downwardAPI.items, pod, defaultMode, node);
      }
      for (const [path, file] of files) payload.set(path, file);
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  if (errors.length === 1) throw new VolumeSetupError(errors[0]);
  if (errors.length > 1) throw new VolumeSetupError(`[${errors.join(", ")}]`);
  return payload;
}
