/**
 * The sync loop: sources send snapshots, the merger turns them into changes,
 * and one worker per pod plans and executes; the Engine's event stream and a
 * periodic relist bring container deaths in; status is built after each sync.
 *
 * @module
 */
import type { Pod, PodList, PodStatus } from "../api/types.ts";
import { emptyMergeState, mergeSnapshot, type MergeState } from "../config/merge.ts";
import type { DockerClient } from "../docker/client.ts";
import type { Logger } from "../log.ts";
import { podFullName } from "../manifest/static_pod.ts";
import type { Platform } from "../platform/types.ts";
import { executePlan, type RuntimeContext, type SyncResult } from "../runtime/execute.ts";
import { ImagePuller } from "../runtime/image_puller.ts";
import { LABEL_POD_NAME, LABEL_POD_NAMESPACE } from "../runtime/labels.ts";
import type { ObservedPod } from "../runtime/observed.ts";
import { ensurePauseImage } from "../runtime/pause_image.ts";
import { computePodActions } from "../runtime/plan.ts";
import { Relister } from "../runtime/relist.ts";
import { createPodHost, type PodHost } from "../runtime/pod_host.ts";
import { terminationMessageReader } from "../runtime/termination_message.ts";
import type { ManifestProblem, Snapshot } from "../source/snapshot.ts";
import { generatePodStatus } from "../status/generate.ts";
import { readHostIP } from "../status/host_ip.ts";
import { PodWorkers } from "./pod_workers.ts";
import { ProberManager } from "../prober/prober_manager.ts";
import { probeTargets } from "../prober/probe_targets.ts";
import { followEvents } from "./follow_events.ts";
import { ErrorThrottle } from "./error_throttle.ts";
import type { KubeletMetrics } from "../metrics/kubelet_metrics.ts";
import { SyncLoopMonitor } from "./sync_loop_monitor.ts";

/** Settings of the sync loop (the CLI's flags). */
export interface KubeletConfig {
  nodeName: string;
  rootDir: string;
  podInfraContainerImage: string;
  /** Full resync of every pod, in ms. */
  syncFrequencyMs: number;
  /** Safety-net relist of the Engine's containers, in ms. @default 2000 */
  relistPeriodMs?: number;
  /** Where the loop's metrics go (`/metrics`); none when undefined. */
  metrics?: KubeletMetrics;
  /** The host facts pods are set up with. @default {createPodHost(platform, { rootDir })} */
  podHost?: PodHost;
}

/** Per pod: what the sources want and what the last sync learned. */
interface PodRecord {
  pod: Pod;
  origin: string;
  acceptedAt: Date;
  status?: PodStatus;
  /** The version this one replaced, until its containers are gone (its preStop hooks apply). */
  previous?: Pod;
}

export class Kubelet {
  readonly #desired = new Map<string, PodRecord>();
  /** Pods removed from their source whose containers may still be running. */
  readonly #removed = new Map<string, Pod>();
  /** Why the kubelet killed a container, by container ID (for its terminated state). */
  readonly #killMessages = new Map<string, string>();
  /** Sources expected to send a snapshot before containers of unknown pods are removed. */
  readonly #sourcesPending = new Set<string>();
  readonly #prober: ProberManager;
  readonly #results = new Map<string, SyncResult>();
  #observed = new Map<string, ObservedPod>();
  /** The newest relist, periodic or a sync's own, for the status server. */
  #latest = new Map<string, ObservedPod>();
  #merge: MergeState = emptyMergeState();
  #problems = new Map<string, ManifestProblem[]>();
  #hostIP = "127.0.0.1";
  #engineReady = false;
  readonly #relister: Relister;
  readonly #runtime: RuntimeContext;
  readonly #workers: PodWorkers;
  readonly #throttle: ErrorThrottle;
  readonly #abort = new AbortController();
  /** Sync-loop health, for `/healthz/syncloop`. */
  readonly monitor: SyncLoopMonitor;

  constructor(
    readonly config: KubeletConfig,
    private readonly platform: Platform,
    private readonly docker: DockerClient,
    private readonly log: Logger,
  ) {
    this.#relister = new Relister(docker, config.nodeName, terminationMessageReader(platform, docker), log);
    const hooks = { docker, platform };
    this.#prober = new ProberManager(hooks, log, (key) => this.#workers.dispatch(key));
    this.#runtime = {
      hooks,
      docker,
      fs: platform,
      log,
      puller: new ImagePuller(docker, log),
      node: config.nodeName,
      rootDir: config.rootDir,
      pauseImage: config.podInfraContainerImage,
      arch: platform.arch,
      host: config.podHost ?? createPodHost(platform, { rootDir: config.rootDir }),
    };
    this.#throttle = new ErrorThrottle(log);
    this.monitor = new SyncLoopMonitor(config.syncFrequencyMs);
    config.metrics?.watch({ observed: () => this.#latest, desiredPods: () => this.#desired.size });
    this.#workers = new PodWorkers(
      (key) => {
        const first = !this.#desired.get(key)?.status, t0 = performance.now();
        return this.#syncPod(key).finally(() =>
          config.metrics?.podSynced((performance.now() - t0) / 1000, first)
        );
      },
      (key, error) => {
        config.metrics?.podSyncFailed();
        this.#throttle.report(`sync ${key}`, `pod ${key}: sync failed`, error);
      },
    );
  }

  /** Aborts when the kubelet stops. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** The runtime's view of the node's pods at the last relist, by full name. */
  get observed(): ReadonlyMap<string, ObservedPod> {
    return this.#latest;
  }

  /** True once the Engine has answered and the infra image is ready. */
  get engineReady(): boolean {
    return this.#engineReady;
  }

  /**
   * Connects to the Engine (retrying until it answers), then starts the event
   * stream, the periodic relist and the full resync.
   */
  async start(): Promise<void> {
    this.#hostIP = await readHostIP(this.platform);
    await this.#connect();
    if (this.signal.aborted) return;
    followEvents(this.docker, this.config.nodeName, this.signal, (event) => {
      const a = event.Actor.Attributes;
      this.#relister.invalidate(event.Actor.ID);
      if (["start", "die", "destroy", "oom"].includes(event.Action) && a[LABEL_POD_NAME]) {
        this.#workers.dispatch(`${a[LABEL_POD_NAME]}_${a[LABEL_POD_NAMESPACE]}`);
      }
    }, this.#throttle);
    this.#every(this.config.relistPeriodMs ?? 2_000, () => this.#relist());
    this.#every(this.config.syncFrequencyMs, () => this.#resyncAll());
    await this.#relist();
  }

  /** Stops loops and waits for syncs in progress. Pods keep running, as with the real kubelet. */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#prober.stop();
    await this.#workers.stop();
  }

  /**
   * Names a source (`file`, `http`) that must send its first snapshot before
   * the kubelet removes containers of pods it does not know: until every
   * expected source has been seen, an unknown pod may still be on its way.
   */
  expectSource(source: string): void {
    this.#sourcesPending.add(source);
  }

  /** Takes one source's complete snapshot: merges it and syncs the pods that changed. */
  applySnapshot(snapshot: Snapshot): Promise<void> {
    const { state, changes, problems } = mergeSnapshot(this.#merge, snapshot);
    this.#merge = state;
    this.#sourcesPending.delete(snapshot.source);
    this.#reportProblems(snapshot.source, problems);
    const done: Promise<void>[] = [];
    for (const change of changes) {
      const key = podFullName(change.pod);
      const before = this.#desired.get(key);
      if (change.op === "remove") {
        this.log.info(`pod ${key} removed from ${change.origin}`);
        this.config.metrics?.podRemoved(change.pod.metadata.uid);
        this.#desired.delete(key);
        if (before) this.#removed.set(key, before.pod);
      } else {
        this.log.info(`pod ${key} ${change.op === "add" ? "added" : "changed"} from ${change.origin}`);
        if (change.op === "add") this.config.metrics?.podAdded(change.pod.metadata.uid);
        const acceptedAt = change.op === "update" ? new Date() : before?.acceptedAt ?? new Date();
        const previous = before ? before.pod : this.#removed.get(key);
        this.#desired.set(key, { pod: change.pod, origin: change.origin, acceptedAt, previous });
      }
      if (this.#engineReady) done.push(this.#workers.dispatch(key));
    }
    return Promise.all(done).then(() => {});
  }

  /** Every desired pod with its last status, as the kubelet's `/pods` serves it. */
  podList(): PodList {
    const items = [...this.#desired.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(
      ([key, record]) => ({
        apiVersion: "v1",
        kind: "Pod",
        ...record.pod,
        status: record.status ?? this.#status(key, record),
      }),
    );
    return { apiVersion: "v1", kind: "PodList", metadata: {}, items };
  }

  #reportProblems(source: string, problems: ManifestProblem[]): void {
    const before = new Set((this.#problems.get(source) ?? []).map((p) => JSON.stringify(p)));
    for (const p of problems) {
      if (!before.has(JSON.stringify(p))) {
        this.log.error(`manifest ${p.origin}${p.line ? `:${p.line}` : ""}: ${p.message}`);
      }
    }
    this.#problems.set(source, problems);
  }

  /** Problems of the manifest a pod came from, for its status message. */
  #problemsOf(origin: string): string | undefined {
    const mine = [...this.#problems.values()].flat().filter((p) => p.origin === origin);
    return mine.length ? mine.map((p) => p.message).join("; ") : undefined;
  }

  async #connect(): Promise<void> {
    for (let delay = 500; !this.signal.aborted; delay = Math.min(delay * 2, 10_000)) {
      try {
        const version = await this.docker.ping(this.signal);
        await ensurePauseImage(this.docker, this.config.podInfraContainerImage, this.platform.arch, this.log);
        this.log.info(`docker engine ready`, {
          endpoint: this.docker.transport.endpoint.url,
          apiVersion: version,
        });
        this.#engineReady = true;
        this.monitor.engineAnswered();
        return;
      } catch (error) {
        if (this.signal.aborted) return;
        this.monitor.engineFailed(error);
        this.#throttle.report("connect", "waiting for the docker engine", error);
        await this.#sleep(delay);
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
    });
  }

  #every(ms: number, fn: () => Promise<void>): void {
    const timer = setInterval(
      () => fn().catch((e) => this.#throttle.report("tick", "periodic work failed", e)),
      ms,
    );
    this.signal.addEventListener("abort", () => clearInterval(timer), { once: true });
  }

  /** Relists the node's containers and syncs every pod whose containers changed, or that is not desired. */
  async #relist(): Promise<void> {
    let next: Map<string, ObservedPod>;
    try {
      const t0 = performance.now();
      next = await this.#relister.relist();
      this.config.metrics?.relisted((performance.now() - t0) / 1000);
      this.monitor.engineAnswered();
      this.#throttle.clear("relist");
    } catch (error) {
      this.monitor.engineFailed(error);
      this.#throttle.report("relist", "relist failed", error);
      return;
    }
    const fingerprint = (p?: ObservedPod) =>
      JSON.stringify([...(p?.sandboxes ?? []), ...(p?.containers ?? [])].map((c) => [c.id, c.state]));
    const keys = new Set([...next.keys(), ...this.#observed.keys(), ...this.#desired.keys()]);
    const previous = this.#observed;
    this.#observed = this.#latest = next;
    for (const key of keys) {
      const changed = fingerprint(previous.get(key)) !== fingerprint(next.get(key));
      const orphan = next.has(key) && !this.#desired.has(key) && !this.#workers.busy.includes(key) &&
        this.#sourcesPending.size === 0;
      const unsynced = this.#desired.has(key) && !this.#results.has(key);
      if (changed || orphan || unsynced) this.#workers.dispatch(key);
    }
    this.monitor.passed();
  }

  #resyncAll(): Promise<void> {
    return Promise.all([...this.#desired.keys()].map((k) => this.#workers.dispatch(k))).then(() =>
      this.monitor.passed()
    );
  }

  #status(key: string, record: PodRecord, observed = this.#observed.get(key)): PodStatus {
    const result = this.#results.get(key);
    return generatePodStatus(record.pod, observed, {
      waiting: result?.waiting ?? {},
      ready: (id) => this.#prober.ready(key, id),
      started: (id) => this.#prober.started(key, id),
      killMessage: (id) => this.#killMessages.get(id),
      hostIP: this.#hostIP,
      acceptedAt: record.acceptedAt,
      previous: record.status,
      now: new Date(),
      message: this.#problemsOf(record.origin) ?? result?.message,
    });
  }

  async #syncPod(key: string): Promise<void> {
    if (!this.#engineReady || this.signal.aborted) return;
    const record = this.#desired.get(key);
    const observed = (await this.#relister.relist()).get(key);
    if (!record && !observed) {
      this.#forget(key);
      return;
    }
    // A pod no source has named (yet) is left alone until every source has been seen:
    // a URL that is down must not cost the pods it gave before (the kubelet's sourcesReady).
    if (!record && !this.#removed.has(key) && this.#sourcesPending.size > 0) return;
    const unhealthy = this.#prober.unhealthy();
    const actions = computePodActions(record?.pod ?? null, observed, {
      now: Date.now(),
      unhealthy: new Set(unhealthy.keys()),
    });
    for (const k of actions.containersToKill) {
      const message = unhealthy.get(k.id);
      if (message && k.reason === "failed probe") this.#killMessages.set(k.id, message);
    }
    const previous = record?.previous ?? this.#removed.get(key);
    const result = await executePlan(this.#runtime, record?.pod ?? null, observed, actions, previous);
    if (!record) {
      this.#forget(key);
      this.log.info(`pod ${key} torn down`);
      return;
    }
    this.#results.set(key, result);
    const relisted = await this.#relister.relist();
    this.#latest = relisted;
    const after = relisted.get(key);
    if (after && !after.containers.some((c) => c.podUid !== record.pod.metadata.uid)) {
      this.#removed.delete(key);
      delete record.previous;
    }
    for (const id of this.#killMessages.keys()) {
      if (!after?.containers.some((c) => c.id === id)) this.#killMessages.delete(id);
    }
    this.#prober.syncPod(key, probeTargets(record.pod, after, this.#hostIP));
    if (this.#desired.get(key) === record) {
      const before = record.status;
      record.status = this.#status(key, record, after);
      this.config.metrics?.podStatusChanged(before, record.status, record.acceptedAt);
    }
    if (actions.resyncAfterMs !== undefined) this.#workers.dispatchAfter(key, actions.resyncAfterMs + 50);
  }

  /** Drops everything kept about a pod that is gone from sources and runtime. */
  #forget(key: string): void {
    this.#results.delete(key);
    this.#removed.delete(key);
    this.#prober.syncPod(key, []);
  }
}
