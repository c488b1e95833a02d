/**
 * The ConfigMaps and Secrets of a manifest, as both sources read them:
 * checked, and added to the snapshot beside its pods.
 *
 * @module
 */
import { decodeConfigObject } from "../manifest/decode_config_object.ts";
import type { Snapshot } from "./snapshot.ts";

/**
 * Adds one decoded `ConfigMap` or `Secret` document to `snapshot`: the
 * object when it is valid, else each of its errors through `fail` (which
 * marks the origin failed), named `configmap "x": field: problem` as pod
 * errors are named; unknown fields are warnings.
 */
export function addManifestObject(
  doc: Record<string, unknown>,
  at: { origin: string; line: number; where: string },
  snapshot: Snapshot,
  fail: (message: string, line?: number) => void,
): void {
  const { held, errors, unknown } = decodeConfigObject(doc, at.origin);
  const meta = doc.metadata as Record<string, unknown> | undefined;
  const kind = doc.kind === "Secret" ? "secret" : "configmap";
  const name = typeof meta?.name === "string" && meta.name
    ? `${kind} ${JSON.stringify(meta.name)}: `
    : `${kind}: `;
  if (unknown.length > 0) {
    const fields = unknown.map((f) => JSON.stringify(f)).join(", ");
    const message = `${at.where}${name}unknown field${unknown.length > 1 ? "s" : ""} ${fields}: not used`;
    (snapshot.warnings ??= []).push({ origin: at.origin, line: at.line, message });
  }
  for (const error of errors) fail(`${at.where}${name}${error}`, at.line);
  if (!held) return;
  if (held.kind === "ConfigMap") (snapshot.configMaps ??= []).push(held.object);
  else (snapshot.secrets ??= []).push(held.object);
}
