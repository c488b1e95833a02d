/**
 * The parts of a container's environment that come from ConfigMaps and
 * Secrets, as the kubelet's `makeEnvironmentVariables` resolves them
 * (pkg/kubelet/kubelet_pods.go): `envFrom` sources, then `valueFrom`
 * `configMapKeyRef` / `secretKeyRef` of single variables.
 *
 * Errors carry the kubelet's messages (`configmap "x" not found`,
 * `couldn't find key k in ConfigMap default/x`); none holds a value.
 *
 * @module
 */
import type { Container, EnvVar, Pod } from "../api/types.ts";
import { isEnvVarName } from "../api/env_var_name.ts";
import type { ConfigObjects } from "../api/config_objects.ts";

/** A variable of `envFrom` whose name is not a valid environment variable name. */
export interface SkippedEnvKeys {
  /** The kubelet's event message (`Keys [1a] from the EnvFrom configMap default/x were skipped ...`). */
  message: string;
}

/** What {@linkcode envFromObjects} resolves. */
export interface EnvFromResult {
  /** `[name, value]` in `envFrom` order (each object's keys sorted); a later source wins a name. */
  vars: [string, string][];
  /** One event message per source whose keys were skipped. */
  skipped: SkippedEnvKeys[];
}

type Obj = Record<string, unknown>;

/**
 * The variables of `container`'s `envFrom` from `objects`: each key of the
 * ConfigMap's `data` or Secret's `data`, prefixed with `prefix`; keys that
 * make no valid name are skipped (and reported), an object missing and
 * `optional` is skipped.
 *
 * @throws {Error} `configmap "x" not found` / `secret "x" not found` for a missing object that is not optional
 */
export function envFromObjects(pod: Pod, container: Container, objects: ConfigObjects): EnvFromResult {
  const namespace = pod.metadata.namespace || "default";
  const vars = new Map<string, string>();
  const skipped: SkippedEnvKeys[] = [];
  for (const source of (container.envFrom ?? []) as Obj[]) {
    const prefix = typeof source.prefix === "string" ? source.prefix : "";
    const ref = (source.configMapRef ?? source.secretRef) as Obj | undefined;
    if (!ref) continue;
    const name = String(ref.name ?? "");
    const secret = source.configMapRef == null;
    const values = secret ? secretValues(objects, namespace, name) : objects.configMap(namespace, name)?.data;
    if (!values) {
      if (ref.optional === true) continue;
      throw new Error(`${secret ? "secret" : "configmap"} ${JSON.stringify(name)} not found`);
    }
    const invalid: string[] = [];
    for (const key of Object.keys(values).sort()) {
      const variable = prefix + key;
      if (!isEnvVarName(variable)) {
        invalid.push(variable);
        continue;
      }
      vars.delete(variable);
      vars.set(variable, values[key]);
    }
    if (invalid.length > 0) {
      skipped.push({
        message: `Keys [${invalid.sort().join(", ")}] from the EnvFrom ${
          secret ? "secret" : "configMap"
        } ${namespace}/${name} were skipped since they are considered invalid environment variable names.`,
      });
    }
  }
  return { vars: [...vars], skipped };
}

/**
 * The value of `env`'s `valueFrom.configMapKeyRef` or `secretKeyRef`:
 * undefined when the variable has neither, null when its object or key is
 * missing and it is `optional` (the variable is then left out).
 *
 * @throws {Error} with the kubelet's message when the object or key is missing and not optional
 */
export function keyRefValue(pod: Pod, env: EnvVar, objects: ConfigObjects): string | null | undefined {
  const from = env.valueFrom as Obj | undefined;
  const ref = (from?.configMapKeyRef ?? from?.secretKeyRef) as Obj | undefined;
  if (!from || !ref) return undefined;
  const namespace = pod.metadata.namespace || "default";
  const name = String(ref.name ?? "");
  const key = String(ref.key ?? "");
  const optional = ref.optional === true;
  const secret = from.configMapKeyRef == null;
  const values = secret ? secretValues(objects, namespace, name) : objects.configMap(namespace, name)?.data;
  if (!values) {
    if (optional) return null;
    throw new Error(`${secret ? "secret" : "configmap"} ${JSON.stringify(name)} not found`);
  }
  if (!Object.hasOwn(values, key)) {
    if (optional) return null;
    throw new Error(`couldn't find key ${key} in ${secret ? "Secret" : "ConfigMap"} ${namespace}/${name}`);
  }
  return values[key];
}

/** A Secret's data as strings (Go's `string(bytes)`: bytes that are not UTF-8 become U+FFFD). */
function secretValues(
  objects: ConfigObjects,
  namespace: string,
  name: string,
): Record<string, string> | undefined {
  const secret = objects.secret(namespace, name);
  if (!secret) return undefined;
  const decoder = new TextDecoder();
  return Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, decoder.decode(v)]));
}
