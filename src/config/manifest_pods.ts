/**
 * The pods of one manifest's text, as both sources read them: decoded,
 * warned about, defaulted, validated and made static pods; its ConfigMaps
 * and Secrets beside them.
 *
 * @module
 */

import { decodeManifestAsync } from "../manifest/decode.ts";
import { applyDefaults } from "../manifest/defaults.ts";
import { findFieldWarnings, formatFieldWarnings, withoutUnknownFields } from "../manifest/field_warnings.ts";
import { pauseIfDue } from "../manifest/pause_if_due.ts";
import { toStaticPod } from "../manifest/static_pod.ts";
import { validatePod } from "../manifest/validate.ts";
import type { Snapshot } from "./snapshot.ts";
import { addManifestObject } from "./manifest_objects.ts";

/** Where a manifest's text came from. */
export interface ManifestOrigin {
  source: Snapshot["source"];
  /** The file's path or the URL. */
  origin: string;
  nodeName: string;
  /** When it was read, for the `config.seen` annotation. */
  seen: Date;
}

/**
 * Adds the pods of `text` to `snapshot`, with a problem for each document
 * that is not a valid pod (its origin then goes into `failedOrigins`) and a
 * warning for fields that are unknown (they are dropped) or not acted on.
 */
export async function addManifestPods(text: string, from: ManifestOrigin, snapshot: Snapshot): Promise<void> {
  const { origin } = from;
  const fail = (message: string, line?: number) => {
    snapshot.problems.push(line === undefined ? { origin, message } : { origin, line, message });
    if (!snapshot.failedOrigins.includes(origin)) snapshot.failedOrigins.push(origin);
  };
  let docs;
  try {
    docs = await decodeManifestAsync(text);
  } catch (error) {
    // Decoding never throws by design; should it, the manifest costs only itself.
    return fail(`cannot decode: ${(error as Error).message}`);
  }
  if (docs.length === 0) {
    (snapshot.notes ??= []).push({
      origin,
      message: "holds no document, only comments or blank ones: no pods",
    });
  }
  for (const doc of docs) {
    // A file of many pods lets the event loop run between them too.
    await pauseIfDue();
    const where = doc.item === undefined ? "" : `items[${doc.item}]: `;
    if (doc.object) {
      addManifestObject(doc.object, { origin, line: doc.line, where }, snapshot, fail);
      continue;
    }
    if (doc.error !== undefined || doc.pod === undefined) {
      fail(doc.error ?? "not a pod", doc.line);
      continue;
    }
    const name = typeof doc.pod.metadata?.name === "string" && doc.pod.metadata.name
      ? `pod "${doc.pod.metadata.name}": `
      : "";
    // Unknown fields are dropped, as decoding into the API's types drops them.
    const pod = applyDefaults(withoutUnknownFields(doc.pod));
    const errors = validatePod(pod);
    // A refused pod runs no field at all: only its unknown fields are worth a warning.
    const findings = findFieldWarnings(doc.pod);
    if (errors.length > 0) findings.ignored = [];
    for (const message of formatFieldWarnings(findings)) {
      (snapshot.warnings ??= []).push({ origin, line: doc.line, message: `${where}${name}${message}` });
    }
    for (const error of errors) fail(`${where}${name}${error}`, doc.line);
    if (errors.length > 0) continue;
    await pauseIfDue();
    snapshot.pods.push({ pod: await toStaticPod(pod, { ...from }), origin });
  }
}
