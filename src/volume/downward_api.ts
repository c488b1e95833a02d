/**
 * The files of a downwardAPI volume or projection, as the kubelet's
 * downwardAPI volume plugin writes them (pkg/volume/downwardapi
 * `CollectData`, with pkg/fieldpath's `ExtractFieldPathAsString` and
 * `FormatMap`).
 *
 * @module
 */
import type { Container, DownwardAPIVolumeFile, Pod } from "../api/types.ts";
import { metadataFieldValue, resourceFieldRefValue } from "../fieldpath/field_ref.ts";
import { modeOr, type Payload, utf8, VolumeSetupError } from "./payload.ts";

/** The node's allocatable amounts: the value of a limit a container does not set. */
export interface NodeAllocatable {
  /** Cores. */
  cpu: number;
  /** Bytes. */
  memory: number;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const SHORT_ESCAPES: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
};

/**
 * `text` in Go's `%q` form (strconv.Quote): in double quotes, `"` and `\`
 * escaped, printable characters kept as they are (non-ASCII too), the
 * others as `\n`, `\x00`, `\u00a0` or `\U0001f600`.
 */
export function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += "\ufffd"; // a lone surrogate: UTF-8 has no such character
    else if (PRINTABLE.test(char)) out += char;
    else if (SHORT_ESCAPES[char]) out += SHORT_ESCAPES[char];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

/**
 * A map as the kubelet writes labels and annotations: one `key="value"`
 * line per key, keys sorted, the value Go-quoted, no newline after the last.
 */
export function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {}).sort(byBytes).map((key) => `${key}=${goQuote(map![key])}`).join("\n");
}

/** Go's string order: by UTF-8 bytes (code points), not UTF-16 units. */
function byBytes(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * The text of a downward API `fieldRef` in a volume: `metadata.name`,
 * `namespace`, `uid`, the whole `labels` and `annotations` maps (see
 * {@linkcode formatMap}), or one of their keys (`metadata.labels['app']`).
 *
 * @throws {VolumeSetupError} for any other field path
 */
export function volumeFieldValue(pod: Pod, fieldPath: string): string {
  const metadata = metadataFieldValue(pod, fieldPath);
  if (metadata !== undefined) return metadata;
  switch (fieldPath) {
    case "metadata.labels":
      return formatMap(pod.metadata.labels);
    case "metadata.annotations":
      return formatMap(pod.metadata.annotations);
  }
  throw new VolumeSetupError(`unsupported fieldPath: ${fieldPath}`);
}

/**
 * The payload of downward API `items` for `pod`: each item's value at its
 * path, with its mode or `defaultMode`. Every item is tried; the failures
 * are reported together, as the kubelet aggregates them.
 *
 * @throws {VolumeSetupError} naming what could not be read (an unknown field, a container not in the pod)
 */
export function downwardAPIPayload(
  items: DownwardAPIVolumeFile[] | undefined,
  pod: Pod,
  defaultMode: number,
  node: NodeAllocatable,
): Payload {
  const payload: Payload = new Map();
  const errors: string[] = [];
  const facts = { podIPs: [], hostIPs: [], nodeCpu: node.cpu, nodeMemory: node.memory };
  for (const item of items ?? []) {
    try {
      let value = "";
      if (item.fieldRef) value = volumeFieldValue(pod, item.fieldRef.fieldPath);
      else if (item.resourceFieldRef) {
        const ref = item.resourceFieldRef;
        const container = findContainer(pod, ref.containerName ?? "");
        value = resourceFieldRefValue(pod, container, ref, facts);
      }
      payload.set(item.path, { data: utf8(value), mode: modeOr(item.mode, defaultMode) });
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  if (errors.length === 1) throw new VolumeSetupError(errors[0]);
  if (errors.length > 1) throw new VolumeSetupError(`[${errors.join(", ")}]`);
  return payload;
}

function findContainer(pod: Pod, name: string): Container {
  const found = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === name);
  if (!found) throw new VolumeSetupError(`container ${name} not found`);
  return found;
}
