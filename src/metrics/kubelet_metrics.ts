/**
 * The kubelet's own metrics, under the names pkg/kubelet/metrics gives them,
 * and the one-line hooks through which the sync loop and the Engine client
 * feed them. Gauges of running pods and containers are read from the
 * runtime's view at scrape time.
 *
 * @module
 */
import type { PodStatus } from "../api/types.ts";
import { DEFAULT_BUCKETS, exponentialBuckets, Registry } from "./registry.ts";

/** `podStartupDurationBuckets` of pkg/kubelet/metrics, in seconds. */
export const POD_START_BUCKETS = [
  0.5,
  1,
  2,
  3,
  4,
  5,
  6,
  8,
  10,
  20,
  30,
  45,
  60,
  120,
  180,
  240,
  300,
  360,
  480,
  600,
  900,
  1200,
  1800,
  2700,
  3600,
];

/**
 * What the gauges count of one pod: the states of its infra containers and containers, as the
 * runtime observes them (the runtime's `ObservedPod` has this shape).
 */
export interface PodStates {
  sandboxes: readonly { state: string }[];
  containers: readonly { state: "created" | "running" | "exited" | "unknown" }[];
}

/** What the gauges read when scraped. */
export interface KubeletView {
  /** The runtime's view of the node's pods, by full name. */
  observed(): ReadonlyMap<string, PodStates>;
  /** How many pods the sources ask for. */
  desiredPods(): number;
}

/** The type of a container the kubelet creates, as the metrics label it. */
export type ContainerType = "podsandbox" | "container" | "init_container";

export class KubeletMetrics {
  readonly registry = new Registry();
  #view: KubeletView = { observed: () => new Map(), desiredPods: () => 0 };
  readonly #removedUids = new Set<string>();

  readonly podStartDuration = this.registry.histogram(
    "kubelet_pod_start_duration_seconds",
    "Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run",
    POD_START_BUCKETS,
  );
  readonly podWorkerDuration = this.registry.histogram(
    "kubelet_pod_worker_duration_seconds",
    "Duration in seconds to sync a single pod. Broken down by operation type: create, update, or sync",
    DEFAULT_BUCKETS,
    ["operation_type"],
  );
  readonly podSyncErrors = this.registry.counter(
    "kubelet_pod_sync_errors_total",
    "Cumulative number of pod syncs that failed (standalone kubelet; the sync is retried)",
  );
  readonly startedPods = this.registry.counter(
    "kubelet_started_pods_total",
    "Cumulative number of pods started",
  );
  readonly startedPodsErrors = this.registry.counter(
    "kubelet_started_pods_errors_total",
    "Cumulative number of errors when starting pods",
  );
  readonly startedContainers = this.registry.counter(
    "kubelet_started_containers_total",
    "Cumulative number of containers started",
    ["container_type"],
  );
  readonly startedContainersErrors = this.registry.counter(
    "kubelet_started_containers_errors_total",
    "Cumulative number of errors when starting containers",
    ["container_type", "code"],
  );
  readonly restartedPods = this.registry.counter(
    "kubelet_restarted_pods_total",
    "Number of pods that have been restarted because they were deleted and recreated with the same UID while the kubelet was watching them (common for static pods, extremely uncommon for API pods)",
    ["static"],
  );
  readonly relistDuration = this.registry.histogram(
    "kubelet_pleg_relist_duration_seconds",
    "Duration in seconds for relisting pods in PLEG.",
    DEFAULT_BUCKETS,
  );
  readonly relistLastSeen = this.registry.gauge(
    "kubelet_pleg_last_seen_seconds",
    "Timestamp in seconds when PLEG was last seen active.",
  );
  readonly runtimeOperations = this.registry.counter(
    "kubelet_runtime_operations_total",
    "Cumulative number of runtime operations by operation type.",
    ["operation_type"],
  );
  readonly runtimeOperationsDuration = this.registry.histogram(
    "kubelet_runtime_operations_duration_seconds",
    "Duration in seconds of runtime operations. Broken down by operation type.",
    exponentialBuckets(0.005, 2.5, 14),
    ["operation_type"],
  );
  readonly runtimeOperationsErrors = this.registry.counter(
    "kubelet_runtime_operations_errors_total",
    "Cumulative number of runtime operation errors by operation type.",
    ["operation_type"],
  );

  constructor(nodeName: string, startedAt = new Date()) {
    this.registry.gauge("kubelet_node_name", "The node's name. The count is always 1.", ["node"]).set(1, {
      node: nodeName,
    });
    this.registry.gauge(
      "process_start_time_seconds",
      "Start time of the process since unix epoch in seconds.",
    )
      .set(startedAt.getTime() / 1000);
    this.registry.gauge("kubelet_running_pods", "Number of pods that have a running pod sandbox", [], () => {
      let n = 0;
      for (const pod of this.#view.observed().values()) {
        if (pod.sandboxes.some((s) => s.state === "running")) n++;
      }
      return [{ value: n }];
    });
    this.registry.gauge("kubelet_running_containers", "Number of containers currently running", [
      "container_state",
    ], () => {
      const counts: Record<string, number> = { created: 0, running: 0, exited: 0, unknown: 0 };
      for (const pod of this.#view.observed().values()) for (const c of pod.containers) counts[c.state]++;
      return Object.entries(counts).map(([state, value]) => ({ labels: { container_state: state }, value }));
    });
    this.registry.gauge(
      "kubelet_desired_pods",
      "The number of pods the kubelet is being instructed to run. static is true if the pod is not from the apiserver.",
      ["static"],
      () => [{ labels: { static: "true" }, value: this.#view.desiredPods() }],
    );
  }

  /** Sets where the scrape-time gauges read from (the kubelet). */
  watch(view: KubeletView): void {
    this.#view = view;
  }

  /** A source added pod `uid`; counts a restart when the same UID was removed before. */
  podAdded(uid: string | undefined): void {
    if (uid && this.#removedUids.delete(uid)) this.restartedPods.inc({ static: "true" });
  }

  /** A source removed pod `uid`. */
  podRemoved(uid: string | undefined): void {
    if (uid) this.#removedUids.add(uid);
  }

  /** One pod sync took `seconds`; `first` when the pod had no status yet. */
  podSynced(seconds: number, first: boolean): void {
    this.podWorkerDuration.observe(seconds, { operation_type: first ? "create" : "sync" });
  }

  /** A pod sync threw. */
  podSyncFailed(): void {
    this.podSyncErrors.inc();
  }

  /** A relist of the Engine's containers took `seconds`. */
  relisted(seconds: number, now = Date.now()): void {
    this.relistDuration.observe(seconds);
    this.relistLastSeen.set(now / 1000);
  }

  /**
   * A pod's status changed from `before` to `after`: the first move from
   * Pending (or no status) to Running observes the time since the kubelet
   * first saw the pod, as SyncPod does.
   */
  podStatusChanged(before: PodStatus | undefined, after: PodStatus, firstSeen: Date, now = new Date()): void {
    if ((before === undefined || before.phase === "Pending") && after.phase === "Running") {
      this.podStartDuration.observe(Math.max(0, (now.getTime() - firstSeen.getTime()) / 1000));
    }
  }

  /** One Engine API call of `operation` took `seconds`. */
  runtimeOperation(operation: string, seconds: number, failed: boolean): void {
    this.runtimeOperations.inc({ operation_type: operation });
    this.runtimeOperationsDuration.observe(seconds, { operation_type: operation });
    if (failed) this.runtimeOperationsErrors.inc({ operation_type: operation });
  }

  /** The kubelet created a container of `type` (counted as started, as the kubelet counts each attempt). */
  containerCreated(type: ContainerType): void {
    if (type === "podsandbox") this.startedPods.inc();
    else this.startedContainers.inc({ container_type: type });
  }

  /** Creating or starting a container of `type` failed with `code` (`CreateContainerError`, ...). */
  containerFailed(type: ContainerType, code: string): void {
    if (type === "podsandbox") this.startedPodsErrors.inc();
    else this.startedContainersErrors.inc({ container_type: type, code });
  }
}
