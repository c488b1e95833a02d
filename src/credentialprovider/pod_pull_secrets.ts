/**
 * Registry credentials from a pod's `imagePullSecrets`, as the kubelet's
 * `credentialprovider/secrets.MakeDockerKeyring` reads them: Secrets of type
 * `kubernetes.io/dockerconfigjson` (`.dockerconfigjson`) and
 * `kubernetes.io/dockercfg` (`.dockercfg`); other types give nothing.
 *
 * @module
 */
import type { Pod } from "../api/types.ts";
import type { ConfigObjects } from "../api/config_objects.ts";
import { parseDockerConfig, type RegistryCredential } from "./docker_config.ts";

/** What {@linkcode podPullSecrets} finds. */
export interface PodPullSecrets {
  /** Every entry of the pod's pull secrets, in the order the pod names them. */
  credentials: RegistryCredential[];
  /** Named Secrets the sources do not hold (the kubelet warns and pulls anyway). */
  missing: string[];
}

const KEYS: Record<string, string> = {
  "kubernetes.io/dockerconfigjson": ".dockerconfigjson",
  "kubernetes.io/dockercfg": ".dockercfg",
};

/**
 * The credentials of `pod`'s `imagePullSecrets` from `objects`. A Secret
 * whose content does not parse gives nothing (validation refused such
 * Secrets already); never throws.
 */
export function podPullSecrets(pod: Pod, objects: ConfigObjects): PodPullSecrets {
  const namespace = pod.metadata.namespace || "default";
  const credentials: RegistryCredential[] = [];
  const missing: string[] = [];
  const refs = pod.spec.imagePullSecrets;
  for (const ref of Array.isArray(refs) ? refs as { name?: unknown }[] : []) {
    if (typeof ref?.name !== "string" || ref.name === "") continue;
    const secret = objects.secret(namespace, ref.name);
    if (!secret) {
      missing.push(ref.name);
      continue;
    }
    const key = KEYS[secret.type];
    if (!key || !Object.hasOwn(secret.data, key)) continue;
    try {
      credentials.push(...parseDockerConfig(new TextDecoder().decode(secret.data[key])));
    } catch {
      // Not a JSON object: nothing to use (and nothing of it to show).
    }
  }
  return { credentials, missing };
}
