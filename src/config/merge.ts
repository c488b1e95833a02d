/**
 * Turns each source's snapshots into pod additions, updates and removals
 * (k8s.io/kubernetes pkg/kubelet/config/config.go `podStorage.merge`), as a
 * pure function of the previous state and the new snapshot.
 *
 * @module
 */

import type { Pod } from "../api/types.ts";
import { CONFIG_SEEN_ANNOTATION, podFullName } from "../manifest/static_pod.ts";
import type { ManifestProblem, Snapshot, SourcedPod } from "./snapshot.ts";
import { allObjects, mergeObjects, type ObjectsBySource } from "./merge_objects.ts";
import { type ConfigObjects, configObjectsOf, type ObjectRef } from "../api/config_objects.ts";

/** The pods each source last gave, by full name (`name_namespace`). Treat as immutable. */
export interface MergeState {
  readonly sources: Readonly<Partial<Record<Snapshot["source"], ReadonlyMap<string, SourcedPod>>>>;
  /** The ConfigMaps and Secrets each source last gave. */
  readonly objects?: ObjectsBySource;
}

/** One thing the sync loop has to do about a pod. */
export interface PodChange {
  op: "add" | "update" | "remove";
  /** The new pod for `add` and `update`, the last one for `remove`. */
  pod: Pod;
  origin: string;
}

/** What {@linkcode mergeSnapshot} returns. */
export interface MergeResult {
  state: MergeState;
  changes: PodChange[];
  /** The snapshot's own problems, then the merger's (duplicate names, clashes between sources). */
  problems: ManifestProblem[];
  /** The ConfigMaps and Secrets of every source, after this snapshot. */
  objects: ConfigObjects;
  /** The objects whose content changed, or that appeared or went away: their pods need a sync. */
  changedObjects: ObjectRef[];
}

/** The state before any source has sent a snapshot. */
export function emptyMergeState(): MergeState {
  return { sources: {} };
}

/**
 * Merges one source's snapshot into the state; neither argument is changed.
 *
 * - A pod whose full name is new is added; one that differs from the last
 *   version in anything but its `config.seen` annotation (so whenever its UID
 *   changed) is updated; one that is gone is removed. An unchanged pod keeps
 *   its previous object, first-seen time included, and emits nothing.
 * - A pod that is gone but whose origin is in `failedOrigins` is kept, so that
 *   an edit which breaks a manifest keeps the last good pod running.
 * - Of two pods with one full name in a snapshot the first wins; a full name
 *   another source holds already stays that source's. Likewise a UID another
 *   pod holds (in this snapshot, another source, or this source's last pods)
 *   stays that pod's. All are reported as problems. A pod refused for a clash is not remembered: it is added the
 *   next time its source sends it while the name is free.
 *
 * Changes come as all removes, then all updates, then all adds: removes in the
 * previous state's order, the others in the snapshot's order.
 *
 * The snapshot's ConfigMaps and Secrets are merged by the same rules (see
 * {@linkcode mergeObjects}).
 */
export function mergeSnapshot(state: MergeState, snapshot: Snapshot): MergeResult {
  const previous = state.sources[snapshot.source] ?? new Map<string, SourcedPod>();
  const problems: ManifestProblem[] = [...snapshot.problems];
  const next = new Map<string, SourcedPod>();
  for (const sourced of snapshot.pods) {
    const key = podFullName(sourced.pod);
    const holder = next.get(key)?.origin ?? otherHolder(state, snapshot.source, key);
    if (holder !== undefined) {
      const message = `pod "${key}" is already defined in ${holder}; ignoring this one`;
      problems.push({ origin: sourced.origin, message });
      continue;
    }
    const uidHolder = findUidHolder(state, snapshot.source, next, key, sourced.pod.metadata.uid);
    if (uidHolder !== undefined) {
      const message = `pod "${key}": metadata.uid ${
        JSON.stringify(sourced.pod.metadata.uid)
      } is already used by ${uidHolder}; ignoring this one (pods must not share a UID: it names their data directory)`;
      problems.push({ origin: sourced.origin, message });
      continue;
    }
    const old = previous.get(key);
    next.set(key, old && old.origin === sourced.origin && samePod(old.pod, sourced.pod) ? old : sourced);
  }
  const failed = new Set(snapshot.failedOrigins);
  for (const [key, old] of previous) {
    if (!next.has(key) && failed.has(old.origin)) next.set(key, old);
  }

  const removes: PodChange[] = [];
  const updates: PodChange[] = [];
  const adds: PodChange[] = [];
  for (const [key, old] of previous) {
    if (!next.has(key)) removes.push({ op: "remove", pod: old.pod, origin: old.origin });
  }
  for (const [key, sourced] of next) {
    const old = previous.get(key);
    if (old === sourced) continue;
    (old ? updates : adds).push({ op: old ? "update" : "add", pod: sourced.pod, origin: sourced.origin });
  }
  const merged = mergeObjects(state.objects ?? {}, snapshot);
  const objects = { ...state.objects, [snapshot.source]: merged.held };
  return {
    state: { sources: { ...state.sources, [snapshot.source]: next }, objects },
    changes: [...removes, ...updates, ...adds],
    problems: [...problems, ...merged.problems],
    objects: configObjectsOf(allObjects(objects)),
    changedObjects: merged.changed,
  };
}

/** The origin (prefixed with its source) of another source's pod with this full name, if any. */
function otherHolder(state: MergeState, source: Snapshot["source"], key: string): string | undefined {
  for (const [other, pods] of Object.entries(state.sources)) {
    const held = other === source ? undefined : pods?.get(key);
    if (held) return `the ${other} source (${held.origin})`;
  }
  return undefined;
}

/**
 * Which other pod already holds `uid`: one kept from this snapshot, any pod of
 * another source, or one of this source's last pods (it may still be being
 * torn down, its directory removed). Undefined when none does.
 */
function findUidHolder(
  state: MergeState,
  source: Snapshot["source"],
  next: ReadonlyMap<string, SourcedPod>,
  key: string,
  uid: string | undefined,
): string | undefined {
  if (!uid) return undefined;
  const holders: [string, ReadonlyMap<string, SourcedPod> | undefined][] = [["", next]];
  for (const [other, pods] of Object.entries(state.sources)) {
    holders.push([other === source ? "" : `the ${other} source: `, pods]);
  }
  for (const [prefix, pods] of holders) {
    for (const [otherKey, held] of pods ?? []) {
      if (otherKey !== key && held.pod.metadata.uid === uid) {
        return `pod "${otherKey}" (${prefix}${held.origin})`;
      }
    }
  }
  return undefined;
}

/** Whether two versions of a pod are the same apart from when they were read. */
function samePod(a: Pod, b: Pod): boolean {
  const strip = (pod: Pod) => {
    const { [CONFIG_SEEN_ANNOTATION]: _, ...annotations } = pod.metadata.annotations ?? {};
    return { ...pod, metadata: { ...pod.metadata, annotations } };
  };
  return deepEqual(strip(a), strip(b));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
