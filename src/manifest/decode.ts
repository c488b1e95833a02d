/**
 * Turns the text of a manifest file into pods, one result per document.
 *
 * @module
 */

import { Composer, type Document, Lexer, Parser } from "yaml";
import { scanJson } from "./_json_scan.ts";
import { yamlBoundsSteps } from "./_yaml_bounds.ts";
import { yamlOctalInt } from "./_yaml_octal.ts";
import { MAX_MANIFEST_DEPTH, MAX_MANIFEST_PODS, MAX_MANIFEST_TOKENS, MAX_QUOTED_STRING } from "./limits.ts";
import { pauseIfDue, SLICE_MS } from "./pause_if_due.ts";
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
  /**
   * A `v1` `ConfigMap` or `Secret` document, as written: `kind` and
   * `apiVersion` checked, nothing else (see `decodeConfigObject`).
   */
  object?: Record<string, unknown>;
  /** Why this document is neither a pod nor an object; set exactly when neither `pod` nor `object` is. */
  error?: string;
}

/**
 * Decodes a manifest file's text into its pods, ConfigMaps and Secrets.
 *
 * Text whose first non-blank character is `{` is JSON (and gets JSON's error
 * when it does not parse), as Kubernetes' `yaml.ToJSON` decides; anything else
 * is YAML, which may hold several `---`-separated documents. Empty documents
 * are skipped. A `kind: PodList` or `kind: List` document expands into one
 * result per item. Never throws: problems come back as `error` results.
 *
 * Repeated keys are refused in both syntaxes, as the API server's strict
 * decoding does. The work is bounded whatever the text (see `limits.ts`):
 * nesting deeper than {@linkcode MAX_MANIFEST_DEPTH} levels, YAML of more
 * than {@linkcode MAX_MANIFEST_TOKENS} tokens, and aliases (merge keys included)
 * that copy more than `MAX_ALIAS_NODES` nodes are each an error of the
 * document they are in; more than {@linkcode MAX_MANIFEST_PODS} documents, or
 * pods counting the items of Lists, are one error for the whole text. The
 * text's size is the caller's to cap.
 *
 * @example Usage
 * ```ts
 * const [doc] = decodeManifest("apiVersion: v1\nkind: Deployment\n");
 * doc.error; // "kind: expected Pod, got Deployment"
 * ```
 */
export function decodeManifest(text: string): DecodedDocument[] {
  const steps = decodeSteps(text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * {@linkcode decodeManifest}, letting the event loop run after each slice of
 * `sliceMs` of work (see `pause_if_due.ts`), for the sources to decode while
 * the kubelet keeps serving. Composing one document is the longest step that
 * cannot be cut.
 */
export async function decodeManifestAsync(
  text: string,
  sliceMs: number = SLICE_MS,
): Promise<DecodedDocument[]> {
  const steps = decodeSteps(text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pauseIfDue(sliceMs);
  }
}

/**
 * The YAML documents of a manifest's text as `decodeManifest` parses them
 * (bounded in the same way), for finding a field's line; undefined when the
 * text is JSON or too large or deep to parse.
 */
export function parseManifestDocuments(text: string): Document.Parsed[] | undefined {
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  if (/^\s*\{/.test(text)) return undefined;
  const steps = parseYaml(text, lineFinder(text));
  for (;;) {
    const step = steps.next();
    if (step.done) return "docs" in step.value ? step.value.docs : undefined;
  }
}

/** How many YAML tokens are parsed between two chances to pause (each well under a millisecond). */
const TOKENS_PER_STEP = 50;

/** The decoding, pausing (`yield`) where the async form lets the loop run. */
function* decodeSteps(text: string): Generator<void, DecodedDocument[]> {
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  const lineAt = lineFinder(text);
  if (/^\s*\{/.test(text)) {
    const line = lineAt(text.search(/\S/));
    // Before parsing: JSON.parse would build what is refused here (a deep or huge value) first.
    const problem = scanJson(text);
    if (problem) {
      return [{ index: 0, line: lineAt(problem.offset), error: `invalid JSON: ${problem.message}` }];
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // V8 and JavaScriptCore quote the text at the error, which may be a Secret's value: say only what is wrong.
      const message = (error as Error).message
        .replace(/^Unexpected token .*? is not valid JSON$/s, "Unexpected token")
        .replace(/^(JSON Parse error: Unexpected identifier) ".*"$/s, "$1");
      return [{ index: 0, line, error: `invalid JSON: ${message}` }];
    }
    const decoded = expand(value, 0, line);
    return decoded.length > MAX_MANIFEST_PODS ? [tooManyPods(decoded[0])] : decoded;
  }
  const parsed = yield* parseYaml(text, lineAt);
  if ("error" in parsed) return [parsed.error];
  const results: DecodedDocument[] = [];
  for (const [index, doc] of parsed.docs.entries()) {
    yield;
    const decoded = yield* decodeDocument(doc, index, lineAt);
    if (results.length + decoded.length > MAX_MANIFEST_PODS) return [tooManyPods(decoded[0])];
    results.push(...decoded);
  }
  return results;
}

/** The one error of a manifest whose documents and List items make more than {@linkcode MAX_MANIFEST_PODS}. */
function tooManyPods({ index, line }: DecodedDocument): DecodedDocument {
  return { index, line, error: `more than ${MAX_MANIFEST_PODS} pods (documents and List items)` };
}

/** One composed YAML document as pods. */
function* decodeDocument(
  doc: Document.Parsed,
  index: number,
  lineAt: LineFinder,
): Generator<void, DecodedDocument[]> {
  const [syntax] = doc.errors;
  if (syntax) {
    // The first line of yaml's message names the problem; the rest is an excerpt.
    const message = syntax.message.split("\n")[0].replace(/:$/, "");
    return [{ index, line: lineAt(syntax.pos[0]), error: `invalid YAML: ${message}` }];
  }
  const line = lineAt(doc.contents?.range[0] ?? doc.range[0]);
  const bounds = yield* yamlBoundsSteps(doc);
  if (bounds) return [{ index, line: lineAt(bounds.offset), error: `invalid YAML: ${bounds.message}` }];
  yield;
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    return [{ index, line, error: `invalid YAML: ${(error as Error).message}` }];
  }
  return value === null || value === undefined ? [] : expand(value, index, line);
}

/**
 * Parses YAML into documents, refusing too many tokens or documents, and nesting deeper
 * than the composer's recursion can take, before composing (the parser itself
 * keeps an explicit stack).
 */
function* parseYaml(
  text: string,
  lineAt: LineFinder,
): Generator<void, { docs: Document.Parsed[] } | { error: DecodedDocument }> {
  const parser = new Parser();
  const tokens = [];
  let documents = 0, lexemes = 0;
  const fail = (message: string) => ({
    error: { index: documents, line: lineAt(parser.offset), error: `invalid YAML: ${message}` },
  });
  // A document token comes once its document ends, and holds where it started.
  const tooManyDocuments = (offset: number) => ({
    error: {
      index: MAX_MANIFEST_PODS,
      line: lineAt(offset),
      error: `invalid YAML: more than ${MAX_MANIFEST_PODS} documents`,
    },
  });
  for (const lexeme of new Lexer().lex(text)) {
    if (++lexemes > MAX_MANIFEST_TOKENS) return fail(`more than ${MAX_MANIFEST_TOKENS} tokens`);
    if (lexeme.length > MAX_QUOTED_STRING && lexeme.startsWith('"')) {
      return fail(
        `a double-quoted string longer than ${MAX_QUOTED_STRING} characters (use a block scalar, |)`,
      );
    }
    if (lexemes % TOKENS_PER_STEP === 0) yield;
    for (const token of parser.next(lexeme)) {
      tokens.push(token);
      if (token.type === "document" && ++documents > MAX_MANIFEST_PODS) return tooManyDocuments(token.offset);
    }
    // Each level of nesting takes one or two entries of the parser's stack.
    if (parser.stack.length > 2 * MAX_MANIFEST_DEPTH + 2) {
      return fail(`nested more than ${MAX_MANIFEST_DEPTH} levels deep`);
    }
  }
  for (const token of parser.end()) {
    tokens.push(token);
    if (token.type === "document" && ++documents > MAX_MANIFEST_PODS) return tooManyDocuments(token.offset);
  }
  // Merge keys as go-yaml (and so the API server) reads them; the work they do is bounded by yamlBoundsSteps.
  // Keys are checked there too: the package's own check is quadratic in the size of a map.
  // Octal integers as go-yaml reads them (`defaultMode: 0400` is 256): see _yaml_octal.ts.
  const composer = new Composer({
    merge: true,
    uniqueKeys: false,
    customTags: (tags) => [yamlOctalInt, ...tags],
  });
  const docs: Document.Parsed[] = [];
  for (const token of tokens) {
    // A document token holds the whole document: composing it is one step.
    for (const doc of composer.next(token)) docs.push(doc as Document.Parsed);
    yield;
  }
  docs.push(...composer.end());
  return { docs };
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
    const { pod, object, error } = toPod(item, value.kind === "PodList");
    return error
      ? { index, item: i, line, error: `items[${i}]: ${error}` }
      : { index, item: i, line, ...(object ? { object } : { pod }) };
  });
}

/** Kinds a manifest may hold besides pods (a `PodList` holds only pods). */
const OBJECT_KINDS = ["ConfigMap", "Secret"];

/** Checks the type fields and gives a pod its `metadata` and `spec` when absent. */
function toPod(
  value: unknown,
  inPodList: boolean,
): { pod?: Pod; object?: Record<string, unknown>; error?: string } {
  if (!isObject(value)) return { error: `expected a Pod object, got ${describe(value)}` };
  // Items of a PodList as the API server writes them carry no kind or apiVersion.
  const kind = value.kind ?? (inPodList ? "Pod" : undefined);
  const apiVersion = value.apiVersion ?? (inPodList ? "v1" : undefined);
  if (kind === undefined || kind === "") return { error: "kind: Required value: expected Pod" };
  const isObjectKind = !inPodList && OBJECT_KINDS.includes(kind as string);
  if (kind !== "Pod" && !isObjectKind) {
    return { error: `kind: expected Pod, got ${describe(kind)}` };
  }
  if (apiVersion === undefined || apiVersion === "") {
    return { error: "apiVersion: Required value: expected v1" };
  }
  if (apiVersion !== "v1") return { error: `apiVersion: expected v1, got ${describe(apiVersion)}` };
  if (isObjectKind) return { object: value };
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

/** The 1-based line of a character offset of one text. */
type LineFinder = (offset: number) => number;

/**
 * A {@linkcode LineFinder} for `text` that counts on from the offset asked
 * before: documents are looked at in order, so a file of many documents is
 * read once, not once per document.
 */
function lineFinder(text: string): LineFinder {
  let at = 0, line = 1;
  return (offset) => {
    offset = Math.max(0, Math.min(offset, text.length));
    for (; at < offset; at++) if (text.charCodeAt(at) === 10) line++;
    while (at > offset) if (text.charCodeAt(--at) === 10) line--;
    return line;
  };
}
