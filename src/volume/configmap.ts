/**
 * The files of a ConfigMap in a volume, as the kubelet's configMap volume
 * plugin makes them (pkg/volume/configmap/configmap.go `MakePayload`).
 *
 * @module
 */
import type { KeyToPath } from "../api/types.ts";
import type { ConfigMapObject } from "../api/config_objects.ts";
import { modeOr, type Payload, utf8, VolumeSetupError } from "./payload.ts";

/** The ConfigMap reference of a configMap volume or projection. */
export interface ConfigMapRef {
  name: string;
  items?: KeyToPath[];
  optional?: boolean;
}

/**
 * The payload of `ref` from `configMap` (undefined: there is none): every
 * key (`data`, then `binaryData`) with `defaultMode` without `items`, else
 * each item's key at its path with its mode.
 *
 * @throws {VolumeSetupError} with the kubelet's message: `configmap "x" not
 *   found` when the ConfigMap is missing, `configmap references non-existent
 *   config key: k` for a missing item key, unless `optional`
 */
export function configMapPayload(
  ref: ConfigMapRef,
  configMap: ConfigMapObject | undefined,
  defaultMode: number,
): Payload {
  const payload: Payload = new Map();
  if (!configMap) {
    if (ref.optional === true) return payload;
    throw new VolumeSetupError(`configmap ${JSON.stringify(ref.name)} not found`);
  }
  const items = ref.items ?? [];
  if (items.length === 0) {
    for (const [key, text] of Object.entries(configMap.data)) {
      payload.set(key, { data: utf8(text), mode: defaultMode });
    }
    for (const [key, bytes] of Object.entries(configMap.binaryData)) {
      payload.set(key, { data: bytes, mode: defaultMode });
    }
    return payload;
  }
  for (const item of items) {
    const data = Object.hasOwn(configMap.data, item.key)
      ? utf8(configMap.data[item.key])
      : Object.hasOwn(configMap.binaryData, item.key)
      ? configMap.binaryData[item.key]
      : undefined;
    if (data === undefined) {
      if (ref.optional === true) continue;
      throw new VolumeSetupError(`configmap references non-existent config key: ${item.key}`);
    }
    payload.set(item.path, { data, mode: modeOr(item.mode, defaultMode) });
  }
  return payload;
}
