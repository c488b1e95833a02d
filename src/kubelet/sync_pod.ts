/**
 * One pod's sync (the kubelet's syncPod and kuberuntime's SyncPod): relist
 * the pod's containers once, ask the pure planner what to do, and let the
 * executor do it.
 *
 * @module
 */
import type { ObservedPod } from "../runtime/observed.ts";
import { executePlan, type RuntimeContext, type SyncResult } from "../runtime/execute.ts";
import { computePodActions, type PodActions } from "../runtime/plan.ts";
import type { Relister } from "../runtime/relist.ts";
import type { PodUpdate } from "./pod_store.ts";
import type { ConfigObjects } from "../api/config_objects.ts";
import { configDigests } from "../runtime/config_digest.ts";

/** What one sync saw and did. */
export interface PodSyncOutcome {
  /** The pod's containers as the sync found them, before it acted. */
  observed: ObservedPod | undefined;
  actions: PodActions;
  result: SyncResult;
}

/** What a sync needs besides the runtime. */
export interface SyncPodDeps {
  runtime: RuntimeContext;
  relister: Pick<Relister, "relistPod">;
  /** Containers whose liveness or startup probe failed, with the kubelet's message. */
  unhealthy: () => ReadonlyMap<string, string>;
  /** Called with what the relist found, before anything is done about it. */
  observed?: (observed: ObservedPod | undefined) => void;
  now?: () => number;
  /** The ConfigMaps and Secrets the sources hold now; the executor gets them as `runtime.objects`. */
  objects?: ConfigObjects;
}

/**
 * Syncs one pod towards `update`: with a record, runs it as desired; without
 * one, stops and removes its containers. Resolves `undefined` when the pod has
 * neither a record nor containers (nothing to do).
 */
export async function syncPod(deps: SyncPodDeps, update: PodUpdate): Promise<PodSyncOutcome | undefined> {
  const observed = await deps.relister.relistPod(update.name, update.namespace);
  deps.observed?.(observed);
  const pod = update.record?.pod ?? null;
  if (!pod && !observed) return undefined;
  const unhealthy = deps.unhealthy();
  const actions = computePodActions(pod, observed, {
    now: (deps.now ?? Date.now)(),
    unhealthy: new Set(unhealthy.keys()),
    // Pods annotated to restart on config changes: what each container consumes is part of its spec hash.
    configDigests: pod && deps.objects ? configDigests(pod, deps.objects) : undefined,
  });
  const runtime = deps.objects ? { ...deps.runtime, objects: deps.objects } : deps.runtime;
  const result = await executePlan(runtime, pod, observed, actions, update.previous);
  return { observed, actions, result };
}
