/**
 * A `kind: ConfigMap` or `kind: Secret` document checked as the API server
 * checks it (pkg/apis/core/validation `ValidateConfigMap`, `ValidateSecret`,
 * with v1's conversion of `stringData` and base64 `data`) and turned into
 * the object pods consume.
 *
 * A Secret's values never appear in a message: a value that is wrong is
 * shown as `"<secret contents redacted>"`, as the API server shows it.
 *
 * @module
 */
import type { ConfigObject } from "../api/config_objects.ts";
import {
  bool,
  dnsLabel,
  dnsSubdomain,
  invalid,
  isObject,
  type Obj,
  object,
  required,
  requiredString,
} from "./_field.ts";
import { decodeBase64 } from "./_base64.ts";

/** The most a ConfigMap's or Secret's data may hold together, in bytes (the API server's `MaxSecretSize`). */
export const MAX_OBJECT_DATA_BYTES = 1 << 20;

/** The longest key of `data` (the API server's `DNS1123SubdomainMaxLength`). */
const MAX_KEY_LENGTH = 253;

/** How a Secret's value that is wrong is shown. */
const REDACTED = "<secret contents redacted>";

/** Fields of each kind; any other is reported as unknown (and not used). */
const FIELDS: Record<ConfigObject["kind"], string[]> = {
  ConfigMap: ["apiVersion", "kind", "metadata", "data", "binaryData", "immutable"],
  Secret: ["apiVersion", "kind", "metadata", "data", "stringData", "type", "immutable"],
};
const META_FIELDS = [
  "name",
  "namespace",
  "uid",
  "labels",
  "annotations",
  "generateName",
  "ownerReferences",
  "finalizers",
  "selfLink",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
];

/** What {@linkcode decodeConfigObject} returns. */
export interface DecodedConfigObject {
  /** The object, when `errors` is empty. */
  held?: ConfigObject;
  /** `field: problem` messages, in the API server's wording. */
  errors: string[];
  /** Unknown fields (not used), as `field` paths. */
  unknown: string[];
}

/**
 * Checks a decoded `ConfigMap` or `Secret` document (`kind` and `apiVersion`
 * already checked by `decodeManifest`) and builds its object, with
 * `namespace` defaulted to `default`. Never throws.
 *
 * @example Usage
 * ```ts
 * decodeConfigObject({ kind: "Secret", metadata: { name: "s" }, data: { "a b": "eA==" } }, "/m/s.yaml").errors;
 * // ["data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, ..."]
 * ```
 */
export function decodeConfigObject(doc: Obj, origin: string): DecodedConfigObject {
  const kind: ConfigObject["kind"] = doc.kind === "Secret" ? "Secret" : "ConfigMap";
  const errs: string[] = [];
  const unknown = Object.keys(doc).filter((k) => !FIELDS[kind].includes(k));
  const meta = object(doc.metadata, "metadata", errs) ?? {};
  unknown.push(...Object.keys(meta).filter((k) => !META_FIELDS.includes(k)).map((k) => `metadata.${k}`));
  const name = requiredString(meta.name, "metadata.name", errs);
  if (name !== undefined) dnsSubdomain(name, "metadata.name", errs);
  const namespace = stringField(meta.namespace, "metadata.namespace", errs) || "default";
  if (meta.namespace) dnsLabel(namespace, "metadata.namespace", errs);
  for (const field of ["labels", "annotations"]) {
    for (const [key, value] of Object.entries(object(meta[field], `metadata.${field}`, errs) ?? {})) {
      if (typeof value !== "string") {
        errs.push(invalid(`metadata.${field}[${key}]`, value, "must be a string"));
      }
    }
  }
  const immutable = bool(doc.immutable, "immutable", errs) ?? false;
  if (kind === "ConfigMap") {
    const data = stringMap(doc.data, "data", false, errs);
    const binaryData = bytesMap(doc.binaryData, "binaryData", false, errs);
    let total = 0;
    for (const [key, value] of Object.entries(data)) {
      configMapKeyProblems(key, `data[${key}]`, errs);
      if (Object.hasOwn(binaryData, key)) {
        errs.push(invalid(`data[${key}]`, key, "duplicate of key present in binaryData"));
      }
      total += new TextEncoder().encode(value).length;
    }
    for (const [key, value] of Object.entries(binaryData)) {
      configMapKeyProblems(key, `binaryData[${key}]`, errs);
      total += value.length;
    }
    if (total > MAX_OBJECT_DATA_BYTES) {
      errs.push(`data: Too long: must have at most ${MAX_OBJECT_DATA_BYTES} bytes`);
    }
    if (errs.length > 0 || name === undefined) return { errors: errs, unknown };
    return {
      held: { kind, object: { namespace, name, data, binaryData, immutable, origin } },
      errors: errs,
      unknown,
    };
  }
  const type = stringField(doc.type, "type", errs) || "Opaque";
  const data = bytesMap(doc.data, "data", true, errs);
  // v1's conversion: stringData is merged over data, and checked with it. A key's problem names
  // the field it was written in (the API server says data[key] for both), so its line can be found.
  const encoder = new TextEncoder();
  const written = new Set<string>();
  for (const [key, value] of Object.entries(stringMap(doc.stringData, "stringData", true, errs))) {
    define(data, key, encoder.encode(value));
    written.add(key);
  }
  const at = (key: string) => `${written.has(key) ? "stringData" : "data"}[${key}]`;
  let total = 0;
  for (const [key, value] of Object.entries(data)) {
    configMapKeyProblems(key, at(key), errs);
    total += value.length;
  }
  if (total > MAX_OBJECT_DATA_BYTES) {
    errs.push(`data: Too long: must have at most ${MAX_OBJECT_DATA_BYTES} bytes`);
  }
  secretTypeProblems(type, data, meta, at, errs);
  if (errs.length > 0 || name === undefined) return { errors: errs, unknown };
  return {
    held: { kind, object: { namespace, name, type, data, immutable, origin } },
    errors: errs,
    unknown,
  };
}

/** The API server's checks of the keys each Secret type needs. */
function secretTypeProblems(
  type: string,
  data: Record<string, Uint8Array>,
  meta: Obj,
  at: (key: string) => string,
  errs: string[],
): void {
  const has = (key: string) => Object.hasOwn(data, key);
  switch (type) {
    case "kubernetes.io/service-account-token": {
      const annotations = isObject(meta.annotations) ? meta.annotations : {};
      if (!annotations["kubernetes.io/service-account.name"]) {
        errs.push(required("metadata.annotations[kubernetes.io/service-account.name]"));
      }
      break;
    }
    case "kubernetes.io/dockercfg":
    case "kubernetes.io/dockerconfigjson": {
      const key = type === "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
      if (!has(key)) {
        errs.push(required(`data[${key}]`));
        break;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data[key]));
      } catch (error) {
        // The parser's message can quote the text: name the position only.
        const position = /position \d+/.exec((error as Error).message)?.[0];
        errs.push(
          `${at(key)}: Invalid value: "${REDACTED}": not valid JSON${position ? ` (at ${position})` : ""}`,
        );
        break;
      }
      if (!isObject(parsed)) errs.push(`${at(key)}: Invalid value: "${REDACTED}": must be a JSON object`);
      break;
    }
    case "kubernetes.io/basic-auth":
      if (!has("username") && !has("password")) {
        errs.push(required("data[username]"), required("data[password]"));
      }
      break;
    case "kubernetes.io/ssh-auth":
      if (!has("ssh-privatekey") || data["ssh-privatekey"].length === 0) {
        errs.push(required("data[ssh-privatekey]"));
      }
      break;
    case "kubernetes.io/tls":
      if (!has("tls.crt")) errs.push(required("data[tls.crt]"));
      if (!has("tls.key")) errs.push(required("data[tls.key]"));
      break;
  }
}

/** The API server's `IsConfigMapKey`: pushes a message for each problem of `key`. */
export function configMapKeyProblems(key: string, path: string, errs: string[]): void {
  if (key.length > MAX_KEY_LENGTH) {
    errs.push(invalid(path, key, `must be no more than ${MAX_KEY_LENGTH} characters`));
  }
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
    errs.push(invalid(
      path,
      key,
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ));
  }
  if (key === ".") errs.push(invalid(path, key, "must not be '.'"));
  else if (key === "..") errs.push(invalid(path, key, "must not be '..'"));
  else if (key.startsWith("..")) errs.push(invalid(path, key, "must not start with '..'"));
}

function stringField(value: unknown, path: string, errs: string[]): string | undefined {
  if (value == null) return undefined;
  if (typeof value === "string") return value;
  errs.push(invalid(path, value, "must be a string"));
}

/** A map of strings, built with own properties only (a key may be `__proto__`). */
function stringMap(value: unknown, path: string, secret: boolean, errs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(object(value, path, errs) ?? {})) {
    if (typeof v === "string") define(out, key, v);
    else if (v != null) errs.push(invalid(`${path}[${key}]`, secret ? REDACTED : v, "must be a string"));
  }
  return out;
}

/** A map of base64 strings, decoded. */
function bytesMap(value: unknown, path: string, secret: boolean, errs: string[]): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [key, v] of Object.entries(object(value, path, errs) ?? {})) {
    if (v == null) continue;
    const shown = secret ? REDACTED : v;
    if (typeof v !== "string") {
      errs.push(invalid(`${path}[${key}]`, shown, "must be a base64 string"));
      continue;
    }
    const decoded = decodeBase64(v);
    if (typeof decoded === "number") {
      errs.push(invalid(`${path}[${key}]`, shown, `illegal base64 data at input byte ${decoded}`));
    } else {
      define(out, key, decoded);
    }
  }
  return out;
}

function define<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
