/**
 * The pods the sources want and what their last syncs learned (the kubelet's
 * pod manager with its status manager): each desired pod with its last
 * status, the versions that were removed or replaced while their containers
 * may still run, and why syncs left containers waiting.
 *
 * @module
 */
import type { Pod, PodList, PodStatus } from "../api/types.ts";
import type { PodChange } from "../config/merge.ts";
import type { SyncResult } from "../runtime/execute.ts";
import type { ObservedPod } from "../runtime/observed.ts";

/** A pod a source wants, with what the kubelet knows of it. */
export interface PodRecord {
  pod: Pod;
  /** The manifest file or URL it came from. */
  origin: string;
  /** When the kubelet took this version. */
  acceptedAt: Date;
  /** Its status after the last sync. */
  status?: PodStatus;
  /** The version this one replaced, until its containers are gone (its preStop hooks apply). */
  previous?: Pod;
}

/** What a pod worker applies: the pod as its source has it at hand-over time. */
export interface PodUpdate {
  /** The pod's full name, `name_namespace`. */
  key: string;
  name: string;
  namespace: string;
  /** The desired pod; null when no source wants it (its containers are to be stopped). */
  record: PodRecord | null;
  /** A removed or replaced version whose containers may still run (its preStop hooks and grace apply). */
  previous?: Pod;
  /**
   * The PLEG's last relist, handed with a periodic resync (the kubelet's pod
   * cache): the sync takes the pod's containers from it instead of listing
   * them again, if nothing was heard of the pod since (see `Kubelet`).
   */
  relist?: RelistView;
}

/** One relist of the whole node, and where the Engine's event stream stood when it began. */
export interface RelistView {
  pods: ReadonlyMap<string, ObservedPod>;
  /** The number of pod events heard before the relist began. */
  seq: number;
  /** Which opening of the event stream it began in. */
  epoch: number;
}

/** Splits a full name (`name_namespace`; neither part may hold `_`) into its parts. */
export function splitFullName(key: string): { name: string; namespace: string } {
  const i = key.indexOf("_");
  return i < 0 ? { name: key, namespace: "" } : { name: key.slice(0, i), namespace: key.slice(i + 1) };
}

export class PodStore {
  readonly #desired = new Map<string, PodRecord>();
  /** Pods removed from their source whose containers may still be running. */
  readonly #removed = new Map<string, Pod>();
  readonly #results = new Map<string, SyncResult>();

  /** Applies one change from the merger; `now` is when it was taken. */
  apply(key: string, change: PodChange, now: Date): void {
    const before = this.#desired.get(key);
    if (change.op === "remove") {
      this.#desired.delete(key);
      if (before) this.#removed.set(key, before.pod);
      return;
    }
    const acceptedAt = change.op === "update" ? now : before?.acceptedAt ?? now;
    const previous = before ? before.pod : this.#removed.get(key);
    this.#desired.set(key, { pod: change.pod, origin: change.origin, acceptedAt, previous });
  }

  /** The update that hands `key`'s pod, as it is now, to its worker. */
  updateFor(key: string, relist?: RelistView): PodUpdate {
    const record = this.#desired.get(key) ?? null;
    const previous = record?.previous ?? this.#removed.get(key);
    return { key, ...splitFullName(key), record, previous, ...(relist && { relist }) };
  }

  get(key: string): PodRecord | undefined {
    return this.#desired.get(key);
  }

  has(key: string): boolean {
    return this.#desired.has(key);
  }

  /** Whether `key` was removed (or replaced) and its old containers may still run. */
  wasRemoved(key: string): boolean {
    return this.#removed.has(key);
  }

  keys(): string[] {
    return [...this.#desired.keys()];
  }

  get size(): number {
    return this.#desired.size;
  }

  /** UIDs of every pod kept: the desired ones, the versions they replaced, removed ones not yet torn down. */
  uids(): string[] {
    const pods = [...this.#desired.values()].flatMap((r) => [r.pod, r.previous]);
    return [...pods, ...this.#removed.values()].map((p) => p?.metadata.uid).filter((u) => u !== undefined);
  }

  /** What the last sync of `key` learned, if it was synced. */
  result(key: string): SyncResult | undefined {
    return this.#results.get(key);
  }

  /** Keeps a sync's outcome and the status built from it, if `record` is still the one desired. */
  synced(key: string, record: PodRecord, result: SyncResult, status: () => PodStatus): PodStatus | undefined {
    this.#results.set(key, result);
    if (this.#desired.get(key) !== record) return undefined;
    return record.status = status();
  }

  /** The old version's containers are gone: forget it. */
  previousGone(key: string, record: PodRecord | null): void {
    this.#removed.delete(key);
    if (record) delete record.previous;
  }

  /** Drops everything kept about a pod that is gone from sources and runtime. */
  forget(key: string): void {
    this.#results.delete(key);
    this.#removed.delete(key);
  }

  /**
   * Every desired pod with its last status, sorted by full name, as the
   * kubelet's `/pods` serves it; `status` builds one for a pod not synced yet.
   */
  podList(status: (key: string, record: PodRecord) => PodStatus): PodList {
    const items = [...this.#desired.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(
      ([key, record]) => ({
        apiVersion: "v1",
        kind: "Pod",
        ...record.pod,
        status: record.status ?? status(key, record),
      }),
    );
    return { apiVersion: "v1", kind: "PodList", metadata: {}, items };
  }
}
