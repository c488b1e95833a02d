/**
 * The ConfigMaps and Secrets the sources hold: what pods consume (env,
 * `envFrom`, volumes, `imagePullSecrets`) in place of the API server the
 * kubelet would ask (pkg/kubelet/configmap and pkg/kubelet/secret managers).
 *
 * @module
 */

/** A valid `kind: ConfigMap` document, decoded. */
export interface ConfigMapObject {
  namespace: string;
  name: string;
  data: Record<string, string>;
  binaryData: Record<string, Uint8Array>;
  immutable: boolean;
  /** The manifest file's path, or the URL. */
  origin: string;
}

/** A valid `kind: Secret` document, decoded: `data` base64-decoded with `stringData` merged over it. */
export interface SecretObject {
  namespace: string;
  name: string;
  /** `Opaque` when the document names none. */
  type: string;
  data: Record<string, Uint8Array>;
  immutable: boolean;
  /** The manifest file's path, or the URL. */
  origin: string;
}

/** The ConfigMaps and Secrets the sources hold now; lookups by namespace and name. */
export interface ConfigObjects {
  configMap(namespace: string, name: string): ConfigMapObject | undefined;
  secret(namespace: string, name: string): SecretObject | undefined;
}

/** Which kind of object a pod refers to. */
export type ConfigObjectKind = "ConfigMap" | "Secret";

/** A reference to one object, by kind, namespace and name. */
export interface ObjectRef {
  kind: ConfigObjectKind;
  namespace: string;
  name: string;
}

/** A ConfigMap or a Secret, tagged with its kind. */
export type ConfigObject =
  | { kind: "ConfigMap"; object: ConfigMapObject }
  | { kind: "Secret"; object: SecretObject };

/** The key an object is held under: `ConfigMap/<namespace>/<name>` (names hold no `/`). */
export function objectKey(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** The reference of a held object. */
export function refOf(held: ConfigObject): ObjectRef {
  return { kind: held.kind, namespace: held.object.namespace, name: held.object.name };
}

/** No objects at all. */
export const NO_CONFIG_OBJECTS: ConfigObjects = {
  configMap: () => undefined,
  secret: () => undefined,
};

/**
 * A {@linkcode ConfigObjects} view of `held` (keyed by {@linkcode objectKey}).
 * The map is read at each lookup, so the caller must not change it: build
 * a new one for each new state.
 */
export function configObjectsOf(held: ReadonlyMap<string, ConfigObject>): ConfigObjects {
  return {
    configMap(namespace, name) {
      const found = held.get(objectKey({ kind: "ConfigMap", namespace, name }));
      return found?.kind === "ConfigMap" ? found.object : undefined;
    },
    secret(namespace, name) {
      const found = held.get(objectKey({ kind: "Secret", namespace, name }));
      return found?.kind === "Secret" ? found.object : undefined;
    },
  };
}

/** Whether two versions of an object hold the same content (origin aside). */
export function sameContent(a: ConfigObject, b: ConfigObject): boolean {
  if (a.kind !== b.kind || a.object.immutable !== b.object.immutable) return false;
  if (a.kind === "ConfigMap" && b.kind === "ConfigMap") {
    return sameRecord(a.object.data, b.object.data, (x, y) => x === y) &&
      sameRecord(a.object.binaryData, b.object.binaryData, sameBytes);
  }
  if (a.kind === "Secret" && b.kind === "Secret") {
    return a.object.type === b.object.type && sameRecord(a.object.data, b.object.data, sameBytes);
  }
  return false;
}

function sameRecord<T>(a: Record<string, T>, b: Record<string, T>, same: (x: T, y: T) => boolean): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
