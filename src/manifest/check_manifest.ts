/**
 * Checks a manifest file's text exactly as the file source reads it
 * (decode, apply defaults, validate) and reports each problem with the line
 * of the field it is about, for `kubelet validate`.
 *
 * @module
 */
import { type Document, isMap, isSeq } from "yaml";
import type { Pod } from "../api/types.ts";
import { decodeManifest, parseManifestDocuments } from "./decode.ts";
import { applyDefaults } from "./defaults.ts";
import { validatePod } from "./validate.ts";
import { decodeConfigObject } from "./decode_config_object.ts";

/** One problem of a manifest. */
export interface Diagnostic {
  /** 1-based line of the field (or of the document when the field is not in the text). */
  line: number;
  /** The field path (`spec.containers[0].image`); empty for problems of the whole document. */
  field: string;
  problem: string;
  /** Errors keep the pod from running; warnings (ignored fields) do not. */
  severity: "error" | "warning";
}

/**
 * More checks that only warn, such as ignored fields; each returns
 * `field: problem` messages for one decoded pod, as written.
 */
export type WarningCheck = (pod: Pod) => string[];

/** The result of checking one manifest's text. */
export interface ManifestCheck {
  /** The pods that would run. */
  pods: number;
  /** The ConfigMaps and Secrets that would be used. */
  objects: number;
  diagnostics: Diagnostic[];
}

/** Splits `a.b[0].c[key]` into `["a", "b", 0, "c", "key"]`. */
export function fieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[([^\]]*)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return out;
}

/** Splits a `field.path: problem` message; a message with no field path gives an empty field. */
export function splitMessage(message: string): { field: string; problem: string } {
  const m = /^([A-Za-z][\w-]*(?:\.[\w-]+|\[[^\]]*\])*): (.*)$/s.exec(message);
  return m ? { field: m[1], problem: m[2] } : { field: "", problem: message };
}

/** The line of the deepest node of `path` the document holds: its key's line for a map entry. */
function lineOf(
  doc: Document | undefined,
  path: (string | number)[],
  text: string,
  fallback: number,
): number {
  if (!doc) return fallback;
  for (let n = path.length; n > 0; n--) {
    const at = path.slice(0, n);
    const parent = n > 1 ? doc.getIn(at.slice(0, -1), true) : doc.contents;
    const last = at[at.length - 1];
    if (isMap(parent) && typeof last === "string") {
      const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last);
      const range = (pair?.key as { range?: [number, number, number] } | null)?.range;
      if (range) return lineAt(text, range[0]);
    } else if (isSeq(parent) && typeof last === "number") {
      const range = (parent.items[last] as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lineAt(text, range[0]);
    }
  }
  return fallback;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Checks `text` as the kubelet reads a manifest file: each document
 * decoded, defaulted and validated (pods, ConfigMaps and Secrets); never
 * throws. A Secret's values never appear in a diagnostic.
 */
export function checkManifest(text: string, warnings: WarningCheck[] = []): ManifestCheck {
  const diagnostics: Diagnostic[] = [];
  if (text.trim() === "") {
    return {
      pods: 0,
      objects: 0,
      diagnostics: [{ line: 1, field: "", problem: "file is empty", severity: "error" }],
    };
  }
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  // Only for the lines of fields; decodeManifest reports what is wrong with the text.
  const docs: Document[] = parseManifestDocuments(source) ?? [];
  let pods = 0, objects = 0;
  const decoded = decodeManifest(text);
  if (decoded.length === 0) {
    const problem = "holds no document, only comments or blank ones: no pods";
    diagnostics.push({ line: 1, field: "", problem, severity: "warning" });
  }
  for (const d of decoded) {
    const doc = docs[d.index];
    const prefix: (string | number)[] = d.item === undefined ? [] : ["items", d.item];
    const report = (message: string, severity: Diagnostic["severity"]) => {
      const { field, problem } = splitMessage(message);
      const path = [...prefix, ...fieldPath(field)];
      const shown = field && d.item !== undefined ? `items[${d.item}].${field}` : field;
      diagnostics.push({
        line: field ? lineOf(doc, path, source, d.line) : d.line,
        field: shown,
        problem,
        severity,
      });
    };
    if (d.object) {
      const checked = decodeConfigObject(d.object, "");
      for (const e of checked.errors) report(e, "error");
      for (const field of checked.unknown) report(`${field}: unknown field: not used`, "warning");
      if (checked.errors.length === 0) objects++;
      continue;
    }
    if (d.error !== undefined || !d.pod) {
      report(d.error?.replace(/^items\[\d+\]: /, "") ?? "not a pod", "error");
      continue;
    }
    const errors = validatePod(applyDefaults(d.pod));
    for (const e of errors) report(e, "error");
    for (const check of warnings) for (const w of check(d.pod)) report(w, "warning");
    if (errors.length === 0) pods++;
  }
  diagnostics.sort((a, b) => a.line - b.line);
  return { pods, objects, diagnostics };
}
