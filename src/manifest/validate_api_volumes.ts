/**
 * Validation of the API-data volume sources (configMap, secret, downwardAPI,
 * projected) as the API server's validation.go does it
 * (`validateConfigMapVolumeSource`, `validateSecretVolumeSource`,
 * `validateDownwardAPIVolumeSource`, `validateProjectedVolumeSource`), plus
 * one check of ours: item paths unique within a volume (the kubelet would
 * let the last one win).
 *
 * @module
 */
import {
  forbidden,
  int,
  invalid,
  list,
  type Obj,
  object,
  optionalString,
  required,
  requiredString,
  show,
} from "./_field.ts";
import { validateResourceRef } from "./validate_resources.ts";

const FILE_MODE = "must be a number between 0 and 0777 (octal), both inclusive";
/** The pod fields a volume file may hold (validVolumeDownwardAPIFieldPathExpressions). */
const VOLUME_FIELD_PATHS = [
  "metadata.annotations",
  "metadata.labels",
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
];
const SUBSCRIPT = /^metadata\.(?:labels|annotations)\['([^']*)'\]$/;
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** The API-data volume sources, by field name. */
export const API_VOLUME_TYPES = ["configMap", "secret", "downwardAPI", "projected"];

/** A file mode field: 0 to 0777. */
function fileMode(value: unknown, path: string, errs: string[]): void {
  if (typeof value === "number" && (value < 0 || value > 0o777)) errs.push(invalid(path, value, FILE_MODE));
  else int(value, path, 0, 0o777, errs);
}

/**
 * A path inside a volume (validateLocalNonReservedPath): relative, no `..`
 * component, not starting with `..`.
 */
export function localNonReservedPath(path: string, field: string, errs: string[]): void {
  if (path.startsWith("/")) errs.push(invalid(field, path, "must be a relative path"));
  if (path.split("/").includes("..")) errs.push(invalid(field, path, "must not contain '..'"));
  else if (path.startsWith("..")) errs.push(invalid(field, path, "must not start with '..'"));
  if (path.includes("\0")) errs.push(invalid(field, path, "must not contain a NUL byte"));
}

/** The paths of a volume's files seen so far, and how a repeat is reported. */
interface Paths {
  seen: Set<string>;
  /** The message for `path` at `field` seen before. */
  repeat: (path: string, field: string) => string;
}

const volumePaths = (): Paths => ({
  seen: new Set(),
  repeat: (path, field) => `${field}: Duplicate value: ${show(path)}`,
});

/** Records `path` of a volume's files, reporting a repeat. */
function uniquePath(path: string | undefined, field: string, paths: Paths, errs: string[]): void {
  if (path === undefined) return;
  const normal = path.split("/").filter((p) => p !== "" && p !== ".").join("/");
  if (paths.seen.has(normal)) errs.push(paths.repeat(path, field));
  paths.seen.add(normal);
}

/** `items` of a configMap or secret source (validateKeyToPath). */
function keyToPaths(value: unknown, field: string, paths: Paths, errs: string[]): void {
  list(value, field, errs).forEach((v, i) => {
    const at = `${field}[${i}]`;
    const item = object(v, at, errs);
    if (!item) return;
    requiredString(item.key, `${at}.key`, errs);
    const path = requiredString(item.path, `${at}.path`, errs);
    if (path !== undefined) {
      localNonReservedPath(path, `${at}.path`, errs);
      uniquePath(path, `${at}.path`, paths, errs);
    }
    fileMode(item.mode, `${at}.mode`, errs);
  });
}

/** A downward API `fieldRef` of a volume file (validateObjectFieldSelector with the volume's paths). */
function volumeFieldRef(ref: Obj, field: string, errs: string[]): void {
  const apiVersion = optionalString(ref.apiVersion, `${field}.apiVersion`, errs);
  if (apiVersion !== undefined && apiVersion !== "" && apiVersion !== "v1") {
    const why = `error converting fieldPath: unsupported apiVersion ${show(apiVersion)}`;
    return void errs.push(invalid(`${field}.fieldPath`, ref.fieldPath, why));
  }
  const fieldPath = requiredString(ref.fieldPath, `${field}.fieldPath`, errs);
  if (fieldPath === undefined) return;
  const subscript = SUBSCRIPT.exec(fieldPath);
  if (subscript) {
    if (!QUALIFIED_NAME.test(subscript[1])) {
      const why =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
      errs.push(invalid(field, subscript[1], why));
    }
  } else if (!VOLUME_FIELD_PATHS.includes(fieldPath)) {
    const supported = VOLUME_FIELD_PATHS.map((p) => JSON.stringify(p)).join(", ");
    errs.push(`${field}.fieldPath: Unsupported value: ${show(fieldPath)}: supported values: ${supported}`);
  }
}

/** `items` of a downwardAPI source (validateDownwardAPIVolumeFile). */
function downwardAPIFiles(value: unknown, field: string, paths: Paths, errs: string[]): void {
  list(value, field, errs).forEach((v, i) => {
    const at = `${field}[${i}]`;
    const file = object(v, at, errs);
    if (!file) return;
    const path = requiredString(file.path, `${at}.path`, errs);
    if (path !== undefined) {
      localNonReservedPath(path, `${at}.path`, errs);
      uniquePath(path, `${at}.path`, paths, errs);
    }
    const fieldRef = object(file.fieldRef, `${at}.fieldRef`, errs);
    const resourceRef = object(file.resourceFieldRef, `${at}.resourceFieldRef`, errs);
    if (fieldRef) {
      volumeFieldRef(fieldRef, `${at}.fieldRef`, errs);
      if (resourceRef) {
        errs.push(
          invalid(at, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"),
        );
      }
    } else if (resourceRef) {
      // In a volume the container must be named: there is no "this container".
      requiredString(resourceRef.containerName, `${at}.resourceFieldRef.containerName`, errs);
      validateResourceRef(resourceRef, `${at}.resourceFieldRef`, errs);
    } else {
      errs.push(required(at, "one of fieldRef and resourceFieldRef is required"));
    }
    fileMode(file.mode, `${at}.mode`, errs);
  });
}

/** `sources` of a projected volume (validateProjectionSources). */
function projectionSources(value: unknown, field: string, errs: string[]): void {
  // The API server's wording for a path two sources share.
  const paths: Paths = {
    seen: new Set(),
    repeat: (path) => invalid(field, path, "conflicting duplicate paths"),
  };
  list(value, `${field}.sources`, errs).forEach((v, i) => {
    const at = `${field}.sources[${i}]`;
    const source = object(v, at, errs);
    if (!source) return;
    const kinds = Object.keys(source).filter((k) => source[k] != null);
    if (kinds.length > 1) errs.push(forbidden(at, "may not specify more than 1 volume type"));
    for (const kind of kinds) {
      if (!["configMap", "secret", "downwardAPI"].includes(kind)) {
        errs.push(
          forbidden(`${at}.${kind}`, "not supported by the standalone kubelet (there is no API server)"),
        );
      }
    }
    for (const kind of ["configMap", "secret"]) {
      const ref = object(source[kind], `${at}.${kind}`, errs);
      if (!ref) continue;
      requiredString(ref.name, `${at}.${kind}.name`, errs);
      keyToPaths(ref.items, `${at}.${kind}.items`, paths, errs);
    }
    const downward = object(source.downwardAPI, `${at}.downwardAPI`, errs);
    if (downward) downwardAPIFiles(downward.items, `${at}.downwardAPI.items`, paths, errs);
  });
}

/**
 * Checks the API-data source of `volume` (at `path`, `spec.volumes[i]`),
 * one message per problem in the API server's words.
 */
export function validateApiDataVolume(volume: Obj, path: string, errs: string[]): void {
  const configMap = object(volume.configMap, `${path}.configMap`, errs);
  if (configMap) {
    requiredString(configMap.name, `${path}.configMap.name`, errs);
    fileMode(configMap.defaultMode, `${path}.configMap.defaultMode`, errs);
    keyToPaths(configMap.items, `${path}.configMap.items`, volumePaths(), errs);
  }
  const secret = object(volume.secret, `${path}.secret`, errs);
  if (secret) {
    requiredString(secret.secretName, `${path}.secret.secretName`, errs);
    fileMode(secret.defaultMode, `${path}.secret.defaultMode`, errs);
    keyToPaths(secret.items, `${path}.secret.items`, volumePaths(), errs);
  }
  const downward = object(volume.downwardAPI, `${path}.downwardAPI`, errs);
  if (downward) {
    fileMode(downward.defaultMode, `${path}.downwardAPI.defaultMode`, errs);
    downwardAPIFiles(downward.items, `${path}.downwardAPI.items`, volumePaths(), errs);
  }
  const projected = object(volume.projected, `${path}.projected`, errs);
  if (projected) {
    fileMode(projected.defaultMode, `${path}.projected.defaultMode`, errs);
    projectionSources(projected.sources, `${path}.projected`, errs);
  }
}
