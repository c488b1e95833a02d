/**
 * The pod lifecycle event generator's diff (the kubelet's pleg/generic.go):
 * two relists of the node in, one event per container whose state changed
 * out. The sync loop syncs the pods the events name.
 *
 * @module
 */
import type { ObservedContainer, ObservedPod } from "../runtime/observed.ts";

/** What happened to one container between two relists (`ContainerChanged`: created, or state unknown). */
export type PodLifecycleEventType =
  | "ContainerStarted"
  | "ContainerDied"
  | "ContainerRemoved"
  | "ContainerChanged";

/** One container's change, named by its pod's full name. */
export interface PodLifecycleEvent {
  /** The pod's full name (`name_namespace`). */
  pod: string;
  type: PodLifecycleEventType;
  /** The container's (or infra container's) ID. */
  containerId: string;
}

/** The event for one container that was in state `before` and is now in `after` (undefined: absent). */
function eventType(
  before: ObservedContainer["state"] | undefined,
  after: ObservedContainer["state"] | undefined,
): PodLifecycleEventType | undefined {
  if (before === after) return undefined;
  if (after === "running") return "ContainerStarted";
  if (after === "exited") return "ContainerDied";
  if (after === undefined) return before === "running" ? "ContainerDied" : "ContainerRemoved";
  return "ContainerChanged";
}

function containers(pod: ObservedPod | undefined): ObservedContainer[] {
  return pod ? [...pod.sandboxes, ...pod.containers] : [];
}

/**
 * Diffs two relists into lifecycle events, in pod then container order. A
 * running container that is gone counts as died (its exit was missed); any
 * other container that is gone, as removed.
 */
export function relistEvents(
  previous: ReadonlyMap<string, ObservedPod>,
  next: ReadonlyMap<string, ObservedPod>,
): PodLifecycleEvent[] {
  const events: PodLifecycleEvent[] = [];
  const keys = new Set([...previous.keys(), ...next.keys()]);
  for (const pod of keys) {
    const before = new Map(containers(previous.get(pod)).map((c) => [c.id, c.state]));
    const after = new Map(containers(next.get(pod)).map((c) => [c.id, c.state]));
    for (const id of new Set([...before.keys(), ...after.keys()])) {
      const type = eventType(before.get(id), after.get(id));
      if (type) events.push({ pod, type, containerId: id });
    }
  }
  return events;
}
