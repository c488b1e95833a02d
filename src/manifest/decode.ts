/**
 * Turns the text of a manifest file into pods, one result per document.
 *
 * @module
 */

import { parseAllDocuments } from "yaml";
import type { Pod } from "../api/types.ts";

/** One document of a manifest file: a pod, or the reason it is not one. */
export interface DecodedDocument {
  /** 0-based position of the document in the file; empty documents count too. */
  index: number;
  /** 0-based position in `items` when the document is a `List` or `PodList`. */
  item?: number;
  /** 1-based line where the document's content starts (or where its syntax error is). */
  line: number;
  /**
   * The pod, with `apiVersion: v1`, `kind: Pod` and `metadata`/`spec` present.
   * Only its top-level shape is checked: run `validatePod` before trusting it.
   */
  pod?: Pod;
  /** Why this document is not a pod; set exactly when `pod` is not. */
  error?: string;
}

/**
 * Decodes a manifest file's text into its pods.
 *
 * Text whose first non-blank character is `{` is JSON (and gets JSON's error
 * when it does not parse), as Kubernetes' `yaml.ToJSON` decides; anything else
 * is YAML, which may hold several `---`-separated documents. Empty documents
 * are skipped. A `kind: PodList` or `kind: List` document expands into one
 * result per item. Never throws: problems come back as `error` results.
 *
 * @example Usage
 * ```ts
 * const [doc] = decodeManifest("apiVersion: v1\nkind: Deployment\n");
 * doc.error; // "kind: expected Pod, got Deployment"
 * ```
 */
export function decodeManifest(text: string): DecodedDocument[] {
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  if (/^\s*\{/.test(text)) {
    const line = lineAt(text, text.search(/\S/));
    try {
      return expand(JSON.parse(text), 0, line);
    } catch (error) {
      return [{ index: 0, line, error: `invalid JSON: ${(error as Error).message}` }];
    }
  }
  const results: DecodedDocument[] = [];
  parseAllDocuments(text, { merge: true }).forEach((doc, index) => {
    const [syntax] = doc.errors;
    if (syntax) {
      // The first line of yaml's message names the position; the rest is an excerpt.
      const message = syntax.message.split("\n")[0].replace(/:$/, "");
      const line = syntax.linePos?.[0].line ?? lineAt(text, doc.range[0]);
      results.push({ index, line, error: `invalid YAML: ${message}` });
      return;
    }
    const line = lineAt(text, doc.contents?.range[0] ?? doc.range[0]);
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (error) {
      results.push({ index, line, error: `invalid YAML: ${(error as Error).message}` });
      return;
    }
    if (value !== null && value !== undefined) results.push(...expand(value, index, line));
  });
  return results;
}

/** One document's value as pods: itself, or the items of a list. */
function expand(value: unknown, index: number, line: number): DecodedDocument[] {
  if (!isObject(value)) return [{ index, line, error: `expected a Pod object, got ${describe(value)}` }];
  if (value.kind !== "List" && value.kind !== "PodList") return [{ index, line, ...toPod(value, false) }];
  if (value.apiVersion !== "v1") {
    return [{ index, line, error: `apiVersion: expected v1, got ${describe(value.apiVersion)}` }];
  }
  const items = value.items ?? [];
  if (!Array.isArray(items)) {
    return [{ index, line, error: `items: expected a list, got ${describe(items)}` }];
  }
  return items.map((item, i) => {
    const { pod, error } = toPod(item, value.kind === "PodList");
    return error ? { index, item: i, line, error: `items[${i}]: ${error}` } : { index, item: i, line, pod };
  });
}

/** Checks the type fields and gives a pod its `metadata` and `spec` when absent. */
function toPod(value: unknown, inPodList: boolean): { pod?: Pod; error?: string } {
  if (!isObject(value)) return { error: `expected a Pod object, got ${describe(value)}` };
  // Items of a PodList as the API server writes them carry no kind or apiVersion.
  const kind = value.kind ?? (inPodList ? "Pod" : undefined);
  const apiVersion = value.apiVersion ?? (inPodList ? "v1" : undefined);
  if (kind === undefined || kind === "") return { error: "kind: Required value: expected Pod" };
  if (kind !== "Pod") return { error: `kind: expected Pod, got ${describe(kind)}` };
  if (apiVersion === undefined || apiVersion === "") {
    return { error: "apiVersion: Required value: expected v1" };
  }
  if (apiVersion !== "v1") return { error: `apiVersion: expected v1, got ${describe(apiVersion)}` };
  const pod = {
    ...value,
    apiVersion: "v1",
    kind: "Pod",
    metadata: value.metadata ?? {},
    spec: value.spec ?? {},
  };
  return { pod: pod as unknown as Pod };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return "a list";
  return value === null || typeof value !== "object" ? String(value) : "an object";
}

/** The 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
