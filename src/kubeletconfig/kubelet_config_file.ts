/**
 * The kubelet's configuration file (`--config`, `kind: KubeletConfiguration`,
 * `kubelet.config.k8s.io/v1beta1`), as kubeadm writes it to
 * /var/lib/kubelet/config.yaml: the fields we implement become the options
 * their flags would give, so flags given on the command line override them as
 * in the kubelet (cmd/kubelet/app/server.go); the others are listed for one
 * warning; a wrong type or value is an error naming the field.
 *
 * A field left out, or set to its zero value (`0s`, `0`, as kubeadm writes
 * many), keeps our flag default. These are not v1beta1's defaults where they
 * differ: the status server stays on 127.0.0.1:10255 (v1beta1 turns
 * `readOnlyPort` off and binds `address` to 0.0.0.0), because it stands in
 * for the authenticated port we do not serve.
 *
 * @module
 */
import { parseAllDocuments } from "yaml";
import { parseDuration } from "../duration.ts";
import { FlagError } from "../flags/flag_error.ts";
import { KUBELET_CONFIGURATION_FIELDS, LOGGING_FIELDS } from "./known_fields.ts";

export const KUBELET_CONFIG_API_VERSION = "kubelet.config.k8s.io/v1beta1";
export const KUBELET_CONFIG_KIND = "KubeletConfiguration";

/** A configuration file that cannot be used; the message names the field. */
export class KubeletConfigError extends FlagError {}

/** What a configuration file gives. */
export interface KubeletConfigFile {
  /** Options in the shape cac gives for the flags of the same settings (camel-cased flag names). */
  options: Record<string, unknown>;
  /** Fields of KubeletConfiguration set to something but not implemented here, sorted. */
  notImplemented: string[];
  /** Fields KubeletConfiguration does not have (typos, other kinds' fields), sorted. */
  unknown: string[];
}

/** The implemented top-level fields, to the flag option each sets. */
const MAPPED = [
  "staticPodPath",
  "staticPodURL",
  "staticPodURLHeader",
  "fileCheckFrequency",
  "httpCheckFrequency",
  "syncFrequency",
  "address",
  "readOnlyPort",
  "healthzPort",
  "healthzBindAddress",
  "resolvConf",
  "logging",
];

/** True when `text` reads as a KubeletConfiguration (its first document's kind), whatever else is wrong in it. */
export function isKubeletConfiguration(text: string): boolean {
  if (/^kind:\s*["']?KubeletConfiguration["']?\s*(#.*)?$/m.test(text)) return true;
  try {
    const first = parseAllDocuments(text, { version: "1.1" })[0]?.toJS?.();
    return first?.kind === KUBELET_CONFIG_KIND;
  } catch {
    return false;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A zero value, which the kubelet's defaulting treats as "not set". */
function isZero(v: unknown): boolean {
  if (v === null || v === undefined || v === "" || v === 0 || v === "0s" || v === "0") return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

function fail(field: string, problem: string): never {
  throw new KubeletConfigError(`${field}: ${problem}`);
}

function str(field: string, v: unknown): string {
  if (typeof v !== "string") fail(field, `expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function duration(field: string, v: unknown): string | undefined {
  const text = str(field, v);
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    fail(field, (error as Error).message);
  }
  if (ms < 0) fail(field, `must not be negative, got ${JSON.stringify(text)}`);
  return ms === 0 ? undefined : text;
}

function port(field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 65535) {
    fail(field, `${JSON.stringify(v)} is not a port (0-65535)`);
  }
  return v;
}

function headers(field: string, v: unknown): [string, string][] {
  if (!isObject(v)) {
    fail(field, `expected a map of header names to lists of values, got ${JSON.stringify(v)}`);
  }
  const pairs: [string, string][] = [];
  for (const [name, values] of Object.entries(v)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      fail(field, `${JSON.stringify(name)} is not an HTTP header name`);
    }
    if (!Array.isArray(values)) {
      fail(`${field}.${name}`, `expected a list of strings, got ${JSON.stringify(values)}`);
    }
    for (const value of values) {
      const text = str(`${field}.${name}`, value);
      if (/[\r\n\0]/.test(text)) fail(`${field}.${name}`, "a header value must not hold CR, LF or NUL");
      pairs.push([name, text]);
    }
  }
  return pairs;
}

/**
 * Reads a KubeletConfiguration.
 *
 * @param text the file's content
 * @param dir the file's directory: a relative `staticPodPath` is resolved against it, as the kubelet does
 * @throws {KubeletConfigError} naming the field when a type or value is wrong, or the file is not v1beta1
 */
export function parseKubeletConfig(text: string, dir: string): KubeletConfigFile {
  let doc: unknown;
  try {
    const docs = parseAllDocuments(text, { version: "1.1" });
    const first = docs[0];
    if (!first) fail("kind", "the file is empty");
    if (first.errors.length) throw first.errors[0];
    doc = first.toJS();
  } catch (error) {
    if (error instanceof KubeletConfigError) throw error;
    throw new KubeletConfigError(`not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (!isObject(doc)) fail("kind", "the file is not a KubeletConfiguration object");
  if (doc.kind !== KUBELET_CONFIG_KIND) {
    fail("kind", `expected ${KUBELET_CONFIG_KIND}, got ${JSON.stringify(doc.kind)}`);
  }
  if (doc.apiVersion !== KUBELET_CONFIG_API_VERSION) {
    fail("apiVersion", `expected ${KUBELET_CONFIG_API_VERSION}, got ${JSON.stringify(doc.apiVersion)}`);
  }
  const options: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) options[key] = value;
  };
  const notImplemented: string[] = [], unknown: string[] = [];
  for (const [field, value] of Object.entries(doc)) {
    if (!KUBELET_CONFIGURATION_FIELDS.has(field)) unknown.push(field);
    else if (!MAPPED.includes(field) && field !== "apiVersion" && field !== "kind" && !isZero(value)) {
      notImplemented.push(field);
    }
  }
  const v = (field: string) => doc[field];
  if (!isZero(v("staticPodPath"))) {
    const path = str("staticPodPath", v("staticPodPath"));
    set("podManifestPath", path.startsWith("/") ? path : `${dir.replace(/\/+$/, "")}/${path}`);
  }
  if (!isZero(v("staticPodURL"))) {
    const url = str("staticPodURL", v("staticPodURL"));
    if (!/^https?:\/\/[^/]/i.test(url)) {
      fail("staticPodURL", `${JSON.stringify(url)} is not an http or https URL`);
    }
    set("manifestUrl", url);
  }
  if (!isZero(v("staticPodURLHeader"))) {
    set("manifestUrlHeaderPairs", headers("staticPodURLHeader", v("staticPodURLHeader")));
  }
  for (const field of ["fileCheckFrequency", "httpCheckFrequency", "syncFrequency"]) {
    if (v(field) !== undefined && v(field) !== null) set(field, duration(field, v(field)));
  }
  if (!isZero(v("address"))) set("address", str("address", v("address")));
  if (!isZero(v("healthzBindAddress"))) {
    set("healthzBindAddress", str("healthzBindAddress", v("healthzBindAddress")));
  }
  // 0 is a value here (turned off), not "unset": kubeadm writes healthzPort 10248 and no readOnlyPort.
  if (v("readOnlyPort") !== undefined) set("readOnlyPort", port("readOnlyPort", v("readOnlyPort")));
  if (v("healthzPort") !== undefined) set("healthzPort", port("healthzPort", v("healthzPort")));
  if (v("resolvConf") !== undefined) set("resolvConf", str("resolvConf", v("resolvConf")));
  const logging = v("logging");
  if (logging !== undefined && logging !== null) {
    if (!isObject(logging)) fail("logging", `expected an object, got ${JSON.stringify(logging)}`);
    for (const [field, value] of Object.entries(logging)) {
      if (!LOGGING_FIELDS.has(field)) unknown.push(`logging.${field}`);
      else if (field !== "format" && field !== "verbosity" && !isZero(value) && !isZero(zeroBuffers(value))) {
        notImplemented.push(`logging.${field}`);
      }
    }
    if (!isZero(logging.format)) {
      const format = str("logging.format", logging.format);
      if (format !== "text" && format !== "json") {
        fail("logging.format", `${JSON.stringify(format)} is not a log format (text, json)`);
      }
      set("loggingFormat", format);
    }
    if (logging.verbosity !== undefined && logging.verbosity !== null) {
      const level = logging.verbosity;
      if (typeof level !== "number" || !Number.isInteger(level) || level < 0) {
        fail("logging.verbosity", `${JSON.stringify(level)} is not a verbosity level (0, 1, 2, ...)`);
      }
      set("v", level);
    }
  }
  return { options, notImplemented: notImplemented.sort(), unknown: unknown.sort() };
}

/** kubeadm's `logging.options` holds only zero buffer sizes (`{json: {infoBufferSize: "0"}}`); those ask for nothing. */
function zeroBuffers(v: unknown): unknown {
  if (!isObject(v)) return v;
  const rest = Object.values(v).filter((o) => !(isObject(o) && Object.values(o).every(isZero)));
  return rest.length ? v : {};
}
