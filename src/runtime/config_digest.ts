/**
 * Beyond the kubelet: a pod annotated `io.kubernetes.standalone/restart-on-config-change: "true"`
 * has its containers restarted when a ConfigMap or Secret they consume
 * changes (kubernetes#22368). Each container's spec hash takes in a digest of
 * the objects it consumes (env `configMapKeyRef`/`secretKeyRef`, `envFrom`,
 * and the configMap, secret and projected volumes it mounts), so the planner
 * sees a changed spec and replaces the container. Pods without the
 * annotation keep the plain spec hash and are never restarted this way.
 *
 * The digest is a hash only, kept in the container's hash label; no content
 * is ever logged.
 *
 * @module
 */
import type { Container, Pod } from "../api/types.ts";
import type { ConfigObjects } from "../api/config_objects.ts";

/** The opt-in annotation; its value must be `"true"`. */
export const RESTART_ON_CONFIG_CHANGE_ANNOTATION = "io.kubernetes.standalone/restart-on-config-change";

/** An object a container consumes: `configmap/<name>` or `secret/<name>`, in the pod's namespace. */
type ObjectRef = `${"configmap" | "secret"}/${string}`;

// deno-lint-ignore no-explicit-any
type Loose = any;

/** The ConfigMaps and Secrets `container` consumes, sorted, each once. */
export function consumedObjects(pod: Pod, container: Container): ObjectRef[] {
  const refs = new Set<ObjectRef>();
  const add = (kind: "configmap" | "secret", name: unknown) => {
    if (typeof name === "string" && name !== "") refs.add(`${kind}/${name}`);
  };
  for (const env of (container.env ?? []) as Loose[]) {
    add("configmap", env?.valueFrom?.configMapKeyRef?.name);
    add("secret", env?.valueFrom?.secretKeyRef?.name);
  }
  for (const from of (container.envFrom ?? []) as Loose[]) {
    add("configmap", from?.configMapRef?.name);
    add("secret", from?.secretRef?.name);
  }
  const mounted = new Set((container.volumeMounts ?? []).map((m) => m.name));
  for (const v of pod.spec.volumes ?? []) {
    if (!mounted.has(v.name)) continue;
    add("configmap", v.configMap?.name);
    add("secret", v.secret?.secretName);
    for (const source of v.projected?.sources ?? []) {
      add("configmap", source.configMap?.name);
      add("secret", source.secret?.name);
    }
  }
  return [...refs].sort();
}

/** FNV-1a (32-bit), fed in parts. */
class Fnv {
  #hash = 0x811c9dc5;
  #encoder = new TextEncoder();
  bytes(data: Uint8Array): this {
    for (const b of data) this.#hash = Math.imul(this.#hash ^ b, 0x01000193) >>> 0;
    // A separator that no length-prefixed field can fake: the length itself.
    return this.text(`:${data.length};`, false);
  }
  text(text: string, framed = true): this {
    const data = this.#encoder.encode(text);
    for (const b of data) this.#hash = Math.imul(this.#hash ^ b, 0x01000193) >>> 0;
    if (framed) this.text(`:${data.length};`, false);
    return this;
  }
  hex(): string {
    return this.#hash.toString(16).padStart(8, "0");
  }
}

/** Whether `pod` asked for restarts on config changes. */
export function restartsOnConfigChange(pod: Pod): boolean {
  return pod.metadata.annotations?.[RESTART_ON_CONFIG_CHANGE_ANNOTATION] === "true";
}

/**
 * The digest of what each container of an annotated pod consumes, by
 * container name (init containers too); empty for a pod without the
 * annotation, and no entry for a container that consumes nothing. A missing
 * object counts as its own state, so adding it changes the digest.
 */
export function configDigests(pod: Pod, objects: ConfigObjects): Record<string, string> {
  if (!restartsOnConfigChange(pod)) return {};
  const namespace = pod.metadata.namespace ?? "default";
  const digests: Record<string, string> = {};
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    const refs = consumedObjects(pod, c);
    if (refs.length === 0) continue;
    const hash = new Fnv();
    for (const ref of refs) {
      const [kind, name] = [ref.slice(0, ref.indexOf("/")), ref.slice(ref.indexOf("/") + 1)];
      hash.text(ref);
      if (kind === "configmap") {
        const cm = objects.configMap(namespace, name);
        if (!cm) hash.text("absent");
        else {
          for (const key of Object.keys(cm.data).sort()) hash.text(key).text(cm.data[key]);
          hash.text("binaryData");
          for (const key of Object.keys(cm.binaryData).sort()) hash.text(key).bytes(cm.binaryData[key]);
        }
      } else {
        const secret = objects.secret(namespace, name);
        if (!secret) hash.text("absent");
        else for (const key of Object.keys(secret.data).sort()) hash.text(key).bytes(secret.data[key]);
      }
    }
    digests[c.name] = hash.hex();
  }
  return digests;
}
