/**
 * Warnings about the fields of a pod manifest that will not do what their
 * author meant: fields the standalone kubelet accepts but does not act on
 * (`nodeSelector`, `tolerations`, ...), and fields Kubernetes does not know
 * at all, which are usually misspelled (`contianers`) or misplaced
 * (`restartPolicy` under `metadata`). Unlike podman, which drops them
 * silently, each is named.
 *
 * @module
 */

import { type FieldType, isIgnored, isSilent, POD_SCHEMA, TYPE_PATHS } from "./known_fields.ts";
import { copyJson } from "./copy_json.ts";

/** A field Kubernetes does not know, and what was probably meant. */
export interface UnknownField {
  /** The field's path, as `spec.containers[0].imagePolicy`. */
  path: string;
  /** A guess: `did you mean "image"?` or `restartPolicy is a field of spec`. */
  hint?: string;
}

/** What {@linkcode findFieldWarnings} found in one pod. */
export interface FieldFindings {
  /** Paths of fields that are accepted but not acted on, in manifest order. */
  ignored: string[];
  unknown: UnknownField[];
}

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Walks a decoded pod (before defaults are applied) along the core/v1 schema.
 * Values of the wrong type are skipped: validation reports those.
 *
 * @example Usage
 * ```ts
 * findFieldWarnings({ metadata: { name: "a", restartPolicy: "Never" }, spec: { contianers: [] } });
 * // { ignored: [], unknown: [{ path: "metadata.restartPolicy", hint: "restartPolicy is a field of spec" },
 * //                          { path: "spec.contianers", hint: 'did you mean "containers"?' }] }
 * ```
 */
export function findFieldWarnings(pod: unknown): FieldFindings {
  const findings: FieldFindings = { ignored: [], unknown: [] };
  walk(pod, "Pod", "", findings, new Map());
  return findings;
}

/**
 * The findings as warning messages: at most one for the ignored fields and
 * one for the unknown ones; none when there is nothing to say.
 */
export function formatFieldWarnings(findings: FieldFindings): string[] {
  const messages: string[] = [];
  if (findings.unknown.length > 0) {
    const fields = findings.unknown.map((f) => `"${f.path}"${f.hint ? ` (${f.hint})` : ""}`);
    messages.push(`unknown field${fields.length > 1 ? "s" : ""} ${fields.join(", ")}: not used`);
  }
  if (findings.ignored.length > 0) {
    messages.push(
      `fields accepted but not acted on by the standalone kubelet: ${findings.ignored.join(", ")}`,
    );
  }
  return messages;
}

/** How many different unknown keys of one pod get a hint. */
const MAX_HINTS = 50;

/** Hints already found in one walk, by type and key: a list of many items repeats its unknown keys. */
type Hints = Map<string, string | undefined>;

function walk(value: unknown, type: string, path: string, findings: FieldFindings, hints: Hints): void {
  if (!isObject(value)) return;
  const fields = POD_SCHEMA[type];
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const fieldType: FieldType | undefined = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (fieldType === undefined) {
      const memo = `${type}.${key}`;
      // Past that many different keys the manifest is no misspelling: the rest get no hint.
      if (!hints.has(memo)) hints.set(memo, hints.size < MAX_HINTS ? hint(key, type) : undefined);
      findings.unknown.push({ path: at, hint: hints.get(memo) });
      continue;
    }
    if (child == null || isSilent(fieldType)) continue;
    if (isIgnored(fieldType)) {
      findings.ignored.push(at);
    } else if (fieldType.startsWith("[]")) {
      if (Array.isArray(child) && POD_SCHEMA[fieldType.slice(2)]) {
        child.forEach((item, i) => walk(item, fieldType.slice(2), `${at}[${i}]`, findings, hints));
      }
    } else if (POD_SCHEMA[fieldType]) {
      walk(child, fieldType, at, findings, hints);
    }
  }
}

/** What an unknown field of `type` named `key` was probably meant to be. */
function hint(key: string, type: string): string | undefined {
  const siblings = Object.keys(POD_SCHEMA[type]);
  const typo = closest(key, siblings);
  if (typo) return `did you mean "${typo}"?`;
  for (const [other, where] of Object.entries(TYPE_PATHS)) {
    if (other !== type && Object.hasOwn(POD_SCHEMA[other], key)) {
      return where ? `${key} is a field of ${where}` : `${key} belongs at the top level`;
    }
  }
  return undefined;
}

/** The name in `names` closest to `key`, when it is close enough to be a typo. */
function closest(key: string, names: string[]): string | undefined {
  const lower = key.toLowerCase();
  const allowed = key.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const name of names) {
    const d = distance(lower, name.toLowerCase(), bestDistance - 1);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/**
 * Edit distance where swapping two neighbouring letters counts as one edit
 * (optimal string alignment), or `max + 1` as soon as it is known to be more
 * than `max`: a key of any length costs at most a few rows.
 */
function distance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  // Each edit changes the length by at most one.
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [], previous: number[] = [];
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    [before, previous, row] = [previous, row, before];
    row[0] = i;
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2] + 1);
      }
      row[j] = d;
      least = Math.min(least, d);
    }
    // A row's least value never decreases further down.
    if (least > max) return max + 1;
  }
  return row[b.length];
}

/**
 * The findings as `field.path: problem` messages, one per field, for
 * `kubelet validate` (a `WarningCheck` of check_manifest.ts).
 *
 * @example Usage
 * ```ts
 * fieldWarningMessages({ metadata: { name: "a" }, spec: { nodeSelector: {}, containers: [] } });
 * // ["spec.nodeSelector: accepted but not acted on by the standalone kubelet"]
 * ```
 */
export function fieldWarningMessages(pod: unknown): string[] {
  const { unknown, ignored } = findFieldWarnings(pod);
  return [
    ...unknown.map((f) => `${f.path}: unknown field${f.hint ? ` (${f.hint})` : ""}`),
    ...ignored.map((path) => `${path}: accepted but not acted on by the standalone kubelet`),
  ];
}

/**
 * A copy of a decoded pod without the fields Kubernetes does not know, as
 * the kubelet's Go decoding drops them: the pod that runs and that `/pods`
 * shows holds only core/v1 fields. `pod` is not changed.
 */
export function withoutUnknownFields<T>(pod: T): T {
  const copy = copyJson(pod);
  strip(copy, "Pod");
  return copy;
}

function strip(value: unknown, type: string): void {
  if (!isObject(value)) return;
  const fields = POD_SCHEMA[type];
  for (const [key, child] of Object.entries(value)) {
    const fieldType = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (fieldType === undefined) delete value[key];
    else if (child == null || isSilent(fieldType) || isIgnored(fieldType)) continue;
    else if (fieldType.startsWith("[]")) {
      if (Array.isArray(child) && POD_SCHEMA[fieldType.slice(2)]) {
        child.forEach((item) => strip(item, fieldType.slice(2)));
      }
    } else if (POD_SCHEMA[fieldType]) strip(child, fieldType);
  }
}
