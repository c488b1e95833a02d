/**
 * The kubelet's events (Pulling, Pulled, Created, Started, Killing, BackOff,
 * Unhealthy, Failed, ...) as v1 Events, kept in a bounded ring in memory
 * since there is no API server to post them to. Repeats are folded as
 * client-go's event correlator folds them (`EventLogger`): same object,
 * type, reason and message → one Event whose `count` grows and whose
 * `lastTimestamp` moves.
 *
 * @module
 */
import type { Pod } from "../api/types.ts";

/** The object an event is about, as `involvedObject` names it. */
export interface ObjectReference {
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  apiVersion?: string;
  /** `spec.containers{name}` for a container's events. */
  fieldPath?: string;
}

/** A core/v1 Event. */
export interface Event {
  apiVersion: "v1";
  kind: "Event";
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    creationTimestamp: string;
    resourceVersion?: string;
  };
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  source: { component: string; host: string };
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  type: "Normal" | "Warning";
  eventTime: null;
  reportingComponent: string;
  reportingInstance: string;
}

/** What the executor and prober call; the kubelet's `record.EventRecorder`. */
export interface EventSink {
  /** Records one occurrence. */
  event(object: ObjectReference, type: Event["type"], reason: string, message: string): void;
}

/** The reference to `pod`, or to one of its containers. */
export function podRef(pod: Pod, container?: { name: string; init?: boolean }): ObjectReference {
  return {
    kind: "Pod",
    namespace: pod.metadata.namespace ?? "default",
    name: pod.metadata.name ?? "",
    uid: pod.metadata.uid,
    apiVersion: "v1",
    ...(container
      ? { fieldPath: `spec.${container.init ? "initContainers" : "containers"}{${container.name}}` }
      : {}),
  };
}

/** Messages longer than this are cut, as the API server limits an event's message. */
const MAX_MESSAGE = 1024;

/** The recorder: a ring of at most `capacity` events, the oldest dropped first. */
export class EventRecorder implements EventSink {
  readonly #events = new Map<string, Event>();
  #generation = 0;
  #seq = 0;

  /**
   * @param host the node name (`source.host`)
   * @param capacity events kept @default 1000
   * @param now the clock
   */
  constructor(
    private readonly host: string,
    private readonly capacity = 1000,
    private readonly now = () => new Date(),
  ) {}

  /** Grows with each change, so readers can skip unchanged rings. */
  get generation(): number {
    return this.#generation;
  }

  event(object: ObjectReference, type: Event["type"], reason: string, message: string): void {
    const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message;
    const key = JSON.stringify([
      object.kind,
      object.namespace,
      object.name,
      object.uid,
      object.fieldPath,
      type,
      reason,
      text,
    ]);
    const at = this.now().toISOString();
    this.#generation++;
    const seen = this.#events.get(key);
    if (seen) {
      // Re-inserted so the ring drops the events least recently seen.
      this.#events.delete(key);
      this.#events.set(key, { ...seen, count: seen.count + 1, lastTimestamp: at });
      return;
    }
    const seq = (++this.#seq).toString(16).padStart(8, "0");
    const stamp = this.now().getTime().toString(16);
    this.#events.set(key, {
      apiVersion: "v1",
      kind: "Event",
      metadata: {
        name: `${object.name}.${stamp}${seq}`,
        namespace: object.namespace ?? "default",
        uid: crypto.randomUUID(),
        creationTimestamp: at,
      },
      involvedObject: object,
      reason,
      message: text,
      source: { component: "kubelet", host: this.host },
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: "kubelet",
      reportingInstance: this.host,
    });
    while (this.#events.size > this.capacity) this.#events.delete(this.#events.keys().next().value!);
  }

  /** Every kept event, oldest first. */
  list(): Event[] {
    return [...this.#events.values()];
  }
}
