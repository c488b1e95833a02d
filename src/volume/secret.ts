/**
 * The files of a Secret in a volume, as the kubelet's secret volume plugin
 * makes them (pkg/volume/secret/secret.go `MakePayload`).
 *
 * @module
 */
import type { KeyToPath } from "../api/types.ts";
import type { SecretObject } from "../api/config_objects.ts";
import { modeOr, type Payload, VolumeSetupError } from "./payload.ts";

/** The Secret reference of a secret volume (`secretName`) or projection (`name`). */
export interface SecretRef {
  name: string;
  items?: KeyToPath[];
  optional?: boolean;
}

/**
 * The payload of `ref` from `secret` (undefined: there is none): every key
 * with `defaultMode` without `items`, else each item's key at its path with
 * its mode. Messages name keys and the Secret, never a value.
 *
 * @throws {VolumeSetupError} with the kubelet's message: `secret "x" not
 *   found` when the Secret is missing, `references non-existent secret key: k`
 *   for a missing item key, unless `optional`
 */
export function secretPayload(
  ref: SecretRef,
  secret: SecretObject | undefined,
  defaultMode: number,
): Payload {
  const payload: Payload = new Map();
  if (!secret) {
    if (ref.optional === true) return payload;
    throw new VolumeSetupError(`secret ${JSON.stringify(ref.name)} not found`);
  }
  const items = ref.items ?? [];
  if (items.length === 0) {
    for (const [key, data] of Object.entries(secret.data)) payload.set(key, { data, mode: defaultMode });
    return payload;
  }
  for (const item of items) {
    if (!Object.hasOwn(secret.data, item.key)) {
      if (ref.optional === true) continue;
      throw new VolumeSetupError(`references non-existent secret key: ${item.key}`);
    }
    payload.set(item.path, { data: secret.data[item.key], mode: modeOr(item.mode, defaultMode) });
  }
  return payload;
}
