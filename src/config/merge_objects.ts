/**
 * The ConfigMap and Secret half of the merger: each source's objects as its
 * last snapshot gave them, which of them changed, and the view pods read
 * them through. Pure, as {@linkcode mergeSnapshot} is.
 *
 * @module
 */
import type { ManifestProblem, Snapshot } from "./snapshot.ts";
import { type ConfigObject, objectKey, type ObjectRef, refOf, sameContent } from "../api/config_objects.ts";

/** One source's objects, by {@linkcode objectKey}. Treat as immutable. */
export type HeldObjects = ReadonlyMap<string, ConfigObject>;

/** Every source's objects. */
export type ObjectsBySource = Readonly<Partial<Record<Snapshot["source"], HeldObjects>>>;

/** What {@linkcode mergeObjects} returns. */
export interface ObjectsMergeResult {
  /** The snapshot's source's objects now. */
  held: HeldObjects;
  /** Objects whose content changed, or that appeared or went away. */
  changed: ObjectRef[];
  problems: ManifestProblem[];
}

/**
 * Merges the ConfigMaps and Secrets of one source's snapshot with what the
 * sources held before; neither argument is changed.
 *
 * As with pods: of two objects of one kind, namespace and name the first
 * wins, one another source holds stays that source's (both reported), and
 * those of an origin in `failedOrigins` are kept when the snapshot lacks
 * them. As the API server does, an object that was `immutable` keeps its
 * content: a changed version is reported and ignored, until the object is
 * gone from its source once (removed, then added again).
 */
export function mergeObjects(sources: ObjectsBySource, snapshot: Snapshot): ObjectsMergeResult {
  const previous = sources[snapshot.source] ?? new Map<string, ConfigObject>();
  const next = new Map<string, ConfigObject>();
  const problems: ManifestProblem[] = [];
  const incoming: ConfigObject[] = [
    ...(snapshot.configMaps ?? []).map((object) => ({ kind: "ConfigMap" as const, object })),
    ...(snapshot.secrets ?? []).map((object) => ({ kind: "Secret" as const, object })),
  ];
  for (const held of incoming) {
    const key = objectKey(refOf(held));
    const { origin } = held.object;
    const what = `${held.kind} "${held.object.namespace}/${held.object.name}"`;
    const holder = next.get(key)?.object.origin ?? otherHolder(sources, snapshot.source, key);
    if (holder !== undefined) {
      problems.push({ origin, message: `${what} is already defined in ${holder}; ignoring this one` });
      continue;
    }
    const old = previous.get(key);
    if (old && old.object.immutable && !sameContent(old, held)) {
      const message = `${what}: Forbidden: field is immutable when \`immutable\` is set; ` +
        "the version read before stays (remove the document, then add it again, to change it)";
      problems.push({ origin, message });
      next.set(key, old);
      continue;
    }
    next.set(key, old && old.object.origin === origin && sameContent(old, held) ? old : held);
  }
  const failed = new Set(snapshot.failedOrigins);
  for (const [key, old] of previous) {
    if (!next.has(key) && failed.has(old.object.origin)) next.set(key, old);
  }
  const changed: ObjectRef[] = [];
  for (const [key, old] of previous) if (!next.has(key)) changed.push(refOf(old));
  for (const [key, now] of next) {
    const old = previous.get(key);
    if (!old || !sameContent(old, now)) changed.push(refOf(now));
  }
  return { held: next, changed, problems };
}

/** Every source's objects in one map (a key is held by one source only). */
export function allObjects(sources: ObjectsBySource): Map<string, ConfigObject> {
  const all = new Map<string, ConfigObject>();
  for (const held of Object.values(sources)) for (const [key, object] of held ?? []) all.set(key, object);
  return all;
}

/** The origin (prefixed with its source) of another source's object with this key, if any. */
function otherHolder(sources: ObjectsBySource, source: Snapshot["source"], key: string): string | undefined {
  for (const [other, held] of Object.entries(sources)) {
    const found = other === source ? undefined : held?.get(key);
    if (found) return `the ${other} source (${found.object.origin})`;
  }
  return undefined;
}
