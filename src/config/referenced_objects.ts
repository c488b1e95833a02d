/**
 * The ConfigMaps and Secrets a pod refers to, as the kubelet's
 * `podutil.VisitPodSecretNames` / `VisitPodConfigmapNames` find them: env
 * `valueFrom`, `envFrom`, `configMap`/`secret` volumes and `projected`
 * sources, and `imagePullSecrets`.
 *
 * @module
 */
import type { Pod } from "../api/types.ts";
import { objectKey, type ObjectRef } from "../api/config_objects.ts";

type Obj = Record<string, unknown>;

/**
 * Every ConfigMap and Secret `pod` names, once each, in the order first
 * named (the namespace is the pod's, `default` when it has none). Names
 * that are not non-empty strings are skipped: validation refuses them.
 *
 * @example Usage
 * ```ts
 * referencedObjects({ metadata: { namespace: "ns" }, spec: { containers: [], imagePullSecrets: [{ name: "reg" }] } });
 * // [{ kind: "Secret", namespace: "ns", name: "reg" }]
 * ```
 */
export function referencedObjects(pod: Pod): ObjectRef[] {
  const namespace = typeof pod.metadata?.namespace === "string" && pod.metadata.namespace
    ? pod.metadata.namespace
    : "default";
  const found = new Map<string, ObjectRef>();
  const add = (kind: ObjectRef["kind"], name: unknown) => {
    if (typeof name !== "string" || name === "") return;
    const ref = { kind, namespace, name };
    found.set(objectKey(ref), ref);
  };
  const spec = (pod.spec ?? {}) as Obj;
  for (const ref of list(spec.imagePullSecrets)) add("Secret", ref.name);
  const containers = [
    ...list(spec.initContainers),
    ...list(spec.containers),
    ...list(spec.ephemeralContainers),
  ];
  for (const container of containers) {
    for (const from of list(container.envFrom)) {
      add("ConfigMap", obj(from.configMapRef)?.name);
      add("Secret", obj(from.secretRef)?.name);
    }
    for (const env of list(container.env)) {
      const valueFrom = obj(env.valueFrom);
      add("ConfigMap", obj(valueFrom?.configMapKeyRef)?.name);
      add("Secret", obj(valueFrom?.secretKeyRef)?.name);
    }
  }
  for (const volume of list(spec.volumes)) {
    add("ConfigMap", obj(volume.configMap)?.name);
    add("Secret", obj(volume.secret)?.secretName);
    for (const source of list(obj(volume.projected)?.sources)) {
      add("ConfigMap", obj(source.configMap)?.name);
      add("Secret", obj(source.secret)?.name);
    }
  }
  return [...found.values()];
}

/** Whether `pod` names any object whose {@linkcode objectKey} is in `keys`. */
export function referencesAny(pod: Pod, keys: ReadonlySet<string>): boolean {
  return keys.size > 0 && referencedObjects(pod).some((ref) => keys.has(objectKey(ref)));
}

function obj(value: unknown): Obj | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value as Obj : undefined;
}

/** The objects of a list field; anything else in it (or a field that is not a list) is skipped. */
function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(obj).filter((v): v is Obj => v !== undefined) : [];
}
