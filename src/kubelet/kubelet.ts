/**
 * The sync loop (the kubelet's syncLoop): sources hand over snapshots, the
 * merger turns them into changes, the PLEG and the Engine's event stream name
 * pods whose containers changed, the resync tick names every pod, probe
 * results name theirs, and each named pod is handed to its pod worker, as it
 * is now, without waiting: nothing here ever awaits a pod's sync.
 *
 * @module
 */
import type { PodList, PodStatus } from "../api/types.ts";
import { emptyMergeState, mergeSnapshot, type MergeState } from "../config/merge.ts";
import type { DockerClient } from "../docker/client.ts";
import type { Logger } from "../log.ts";
import { podFullName } from "../manifest/static_pod.ts";
import type { Platform } from "../platform/types.ts";
import { containerStartLimit, type RuntimeContext } from "../runtime/execute.ts";
import { Semaphore } from "../semaphore.ts";
import { dockerKeyring } from "../credentialprovider/docker_keyring.ts";
import { ImagePuller } from "../runtime/image_puller.ts";
import { LABEL_POD_NAME, LABEL_POD_NAMESPACE } from "../runtime/labels.ts";
import type { ObservedPod } from "../runtime/observed.ts";
import { ensurePauseImage } from "../runtime/pause_image.ts";
import { Relister } from "../runtime/relist.ts";
import { changesContainers } from "../runtime/plan.ts";
import { createPodHost, type PodHost } from "../runtime/pod_host.ts";
import { terminationMessageReader } from "../runtime/termination_message.ts";
import type { ManifestProblem, Snapshot } from "../config/snapshot.ts";
import { generatePodStatus } from "../status/generate.ts";
import { readHostIP } from "../nodeinfo/host_ip.ts";
import { PodWorkers } from "./pod_workers.ts";
import { ProberManager } from "../prober/prober_manager.ts";
import { probeTargets } from "../prober/probe_targets.ts";
import { EVENTS_QUIET_CHECK_MS, followEvents } from "./follow_events.ts";
import { ErrorThrottle } from "../error_throttle.ts";
import type { KubeletMetrics } from "../metrics/kubelet_metrics.ts";
import { SyncLoopMonitor } from "./sync_loop_monitor.ts";
import { type PodRecord, PodStore, type PodUpdate, type RelistView } from "./pod_store.ts";
import { relistEvents } from "./pleg.ts";
import { type PodSyncOutcome, syncPod } from "./sync_pod.ts";
import { quoteOrigin } from "../config/quote_origin.ts";
import { podDirHousekeeper } from "./housekeeping.ts";
import { EventRecorder } from "../events/event_recorder.ts";
import { type ConfigObjects, NO_CONFIG_OBJECTS, objectKey } from "../api/config_objects.ts";
import { referencesAny } from "../config/referenced_objects.ts";
import { Backoff, coalesced, every, sleep } from "../timers.ts";

/** Settings of the sync loop (the CLI's flags). */
export interface KubeletConfig {
  nodeName: string;
  rootDir: string;
  podInfraContainerImage: string;
  /** Full resync of every pod, in ms. */
  syncFrequencyMs: number;
  /**
   * Safety-net relist of the Engine's containers while its event stream is
   * not open, in ms. @default 2000
   */
  relistPeriodMs?: number;
  /**
   * The relist period while the event stream is open (the evented PLEG's
   * longer safety net: each container change arrives as an event), in ms.
   * @default {EVENTED_RELIST_PERIOD_MS}
   */
  eventedRelistPeriodMs?: number;
  /** Where the loop's metrics go (`/metrics`); none when undefined. */
  metrics?: KubeletMetrics;
  /** The host facts pods are set up with. @default {createPodHost(platform, { rootDir })} */
  podHost?: PodHost;
}

/**
 * How often the Engine is relisted while its event stream is open, in ms: a
 * relist of a node of 100 pods costs a few ms of CPU and a list of every
 * container in the Engine, and the events already name every change. While
 * the stream is closed the relist runs every `relistPeriodMs`; each time it
 * opens, one relist at once catches what happened while it was closed.
 */
export const EVENTED_RELIST_PERIOD_MS = 10_000;

export class Kubelet {
  readonly #store = new PodStore();
  /** Why the kubelet killed a container, by container ID (for its terminated state). */
  readonly #killMessages = new Map<string, string>();
  /** Sources expected to send a snapshot before containers of unknown pods are removed. */
  readonly #sourcesPending = new Set<string>();
  readonly #prober: ProberManager;
  /** The PLEG's last relist, which the next one is diffed against. */
  #pleg = new Map<string, ObservedPod>();
  /**
   * The PLEG's last relist that began while the event stream was open: a
   * periodic resync hands it to the pods' syncs (the kubelet's pod cache), so
   * a resync of 100 idle pods costs no Engine call.
   */
  #relistView: RelistView | undefined;
  /** Pod events heard so far, and the count when each pod's last one came. */
  #eventSeq = 0;
  readonly #podEventSeq = new Map<string, number>();
  /** Counts openings and drops of the event stream: a view is trusted only within the opening it began in. */
  #streamEpoch = 0;
  /** The newest view of each pod, from the PLEG or a sync's own relist, for the status server. */
  #latest = new Map<string, ObservedPod>();
  #merge: MergeState = emptyMergeState();
  /** The ConfigMaps and Secrets the sources hold now; each pod's sync gets them (`SyncPodDeps.objects`). */
  #objects: ConfigObjects = NO_CONFIG_OBJECTS;
  #problems = new Map<string, ManifestProblem[]>();
  #hostIP = "127.0.0.1";
  #engineReady = false;
  /** Whether the Engine's event stream is open now (then the relist is only a slow safety net). */
  #eventsOpen = false;
  #relistTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the last relist failed: the next that succeeds finds the Engine back. */
  #relistFailed = false;
  readonly #relister: Relister;
  readonly #runtime: RuntimeContext;
  readonly #workers: PodWorkers<PodUpdate>;
  readonly #throttle: ErrorThrottle;
  readonly #abort = new AbortController();
  /** The PLEG's relist, never two at once: one asked for meanwhile runs right after. */
  readonly #relistCoalesced = coalesced(async () => {
    try {
      await this.#relist();
    } catch (error) {
      this.#throttle.report("tick", "periodic work failed", error);
    }
  }, this.#abort.signal);
  /** Removes the directories of pods neither a source nor the Engine knows (kubelet_volumes.go). */
  readonly #housekeeping: (changed?: boolean) => Promise<void>;
  /** Something may have left a pod directory behind since the last relist (a pod removed, containers gone). */
  #podsGone = false;
  /** Sync-loop health, for `/healthz/syncloop`. */
  readonly monitor: SyncLoopMonitor;
  /** The kubelet's events, for the API view's `/api/v1/events`. */
  readonly events: EventRecorder;

  constructor(
    readonly config: KubeletConfig,
    private readonly platform: Platform,
    private readonly docker: DockerClient,
    private readonly log: Logger,
  ) {
    this.#relister = new Relister(docker, config.nodeName, terminationMessageReader(platform, docker), log);
    const hooks = { docker, platform };
    this.events = new EventRecorder(config.nodeName);
    this.#prober = new ProberManager(hooks, log, (key) => this.#dispatch(key), this.events);
    this.#runtime = {
      hooks,
      docker,
      fs: platform,
      log,
      puller: new ImagePuller(docker, log, Date.now, dockerKeyring(platform, config.rootDir, log)),
      node: config.nodeName,
      rootDir: config.rootDir,
      pauseImage: config.podInfraContainerImage,
      arch: platform.arch,
      host: config.podHost ?? createPodHost(platform, { rootDir: config.rootDir }),
      events: this.events,
      startTurn: new Semaphore(containerStartLimit(globalThis.navigator?.hardwareConcurrency ?? 1)),
    };
    this.#throttle = new ErrorThrottle(log);
    this.#housekeeping = podDirHousekeeper({ fs: platform, docker, log }, {
      rootDir: config.rootDir,
      nodeName: config.nodeName,
      desiredUids: () => this.#store.uids(),
    });
    this.monitor = new SyncLoopMonitor(config.syncFrequencyMs);
    config.metrics?.watch({ observed: () => this.#latest, desiredPods: () => this.#store.size });
    this.#workers = new PodWorkers<PodUpdate>(
      (update) => {
        const first = !update.record?.status, t0 = performance.now();
        return this.#syncPod(update).finally(() =>
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

  /** The runtime's view of the node's pods, by full name. */
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
    followEvents(
      this.docker,
      this.config.nodeName,
      this.signal,
      (event) => {
        const a = event.Actor.Attributes;
        this.#relister.invalidate(event.Actor.ID);
        if (!a[LABEL_POD_NAME]) return;
        const key = `${a[LABEL_POD_NAME]}_${a[LABEL_POD_NAMESPACE]}`;
        // Whatever happened to the pod's containers, a relist view older than this is stale for it.
        this.#podEventSeq.set(key, ++this.#eventSeq);
        if (["start", "die", "destroy", "oom"].includes(event.Action)) this.#dispatch(key);
      },
      this.#throttle,
      EVENTS_QUIET_CHECK_MS,
      {
        // Events may have been missed while the stream was closed: relist at once.
        opened: () => (this.#eventsOpen = true, this.#streamEpoch++, void this.#relistNow()),
        dropped: () => (this.#eventsOpen = false, this.#streamEpoch++, this.#scheduleRelist()),
      },
    );
    this.signal.addEventListener("abort", () => clearTimeout(this.#relistTimer), { once: true });
    this.#every(this.config.syncFrequencyMs, () => this.#resyncAll());
    await this.#relistNow();
  }

  /** The relist period now: long while the event stream is open, short while it is not. */
  get #relistPeriod(): number {
    const closed = this.config.relistPeriodMs ?? 2_000;
    return this.#eventsOpen
      ? Math.max(closed, this.config.eventedRelistPeriodMs ?? EVENTED_RELIST_PERIOD_MS)
      : closed;
  }

  /** Arms the next relist one period from now (replacing one armed before). */
  #scheduleRelist(): void {
    clearTimeout(this.#relistTimer);
    if (!this.signal.aborted) {
      this.#relistTimer = setTimeout(() => void this.#relistNow(), this.#relistPeriod);
    }
  }

  /** Relists now (or right after the relist in progress), then arms the next one. */
  async #relistNow(): Promise<void> {
    clearTimeout(this.#relistTimer);
    await this.#relistCoalesced();
    this.#scheduleRelist();
  }

  /**
   * Stops loops and waits for syncs in progress, at most `waitMs` (a sync
   * stuck in an Engine call is left behind). Pods keep running, as with the
   * real kubelet.
   */
  async stop({ waitMs = 10_000 }: { waitMs?: number } = {}): Promise<void> {
    this.#abort.abort();
    this.#prober.stop();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#workers.stop(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs))),
    ]);
    clearTimeout(timer);
  }

  /** Resolves once no pod worker has anything left to do now (for run-once and tests). */
  idle(): Promise<void> {
    return this.#workers.idle();
  }

  /**
   * Names a source (`file`, `http`) that must send its first snapshot before
   * the kubelet removes containers of pods it does not know: until every
   * expected source has been seen, an unknown pod may still be on its way.
   */
  expectSource(source: string): void {
    this.#sourcesPending.add(source);
  }

  /**
   * Takes one source's complete snapshot: merges it and hands each changed pod
   * to its worker. Returns at once: it never waits for pod work.
   */
  applySnapshot(snapshot: Snapshot): void {
    const { state, changes, problems, objects, changedObjects } = mergeSnapshot(this.#merge, snapshot);
    this.#merge = state;
    this.#objects = objects;
    this.#sourcesPending.delete(snapshot.source);
    this.#reportProblems(snapshot.source, problems);
    const now = new Date();
    for (const change of changes) {
      const key = podFullName(change.pod);
      if (change.op === "remove") {
        this.log.info(`pod ${key} removed from ${quoteOrigin(change.origin)}`);
        this.config.metrics?.podRemoved(change.pod.metadata.uid);
      } else {
        this.log.info(
          `pod ${key} ${change.op === "add" ? "added" : "changed"} from ${quoteOrigin(change.origin)}`,
        );
        if (change.op === "add") this.config.metrics?.podAdded(change.pod.metadata.uid);
      }
      this.#store.apply(key, change, now);
      if (change.op !== "add") this.#podsGone = true;
      this.#dispatch(key);
    }
    // Pods that consume a ConfigMap or Secret that changed, appeared or went away sync again.
    const changed = new Set(changedObjects.map(objectKey));
    for (const key of this.#store.keys()) {
      if (referencesAny(this.#store.get(key)!.pod, changed)) this.#dispatch(key);
    }
  }

  /** The ConfigMaps and Secrets the sources hold now. */
  get objects(): ConfigObjects {
    return this.#objects;
  }

  /** Every desired pod with its last status, as the kubelet's `/pods` serves it. */
  podList(): PodList {
    return this.#store.podList((key, record) => this.#status(key, record));
  }

  /** Hands `key`'s pod, as the sources want it now, to its worker (once the Engine is ready). */
  #dispatch(key: string, relist?: RelistView): void {
    if (this.#engineReady && !this.signal.aborted) this.#workers.update(this.#store.updateFor(key, relist));
  }

  /**
   * Whether `view` still shows `key`'s containers as they are: it is the
   * newest relist, the event stream has been open since it began, and no
   * event of the pod has come since. Every change of a container is an event,
   * so its containers are as the relist found them (one missed event is
   * caught by the next relist's diff, which syncs the pod afresh).
   */
  #stillTrue(view: RelistView | undefined, key: string): view is RelistView {
    // The epoch changes when the stream drops, so a view also fails while the stream is closed.
    return view !== undefined && view === this.#relistView && view.epoch === this.#streamEpoch &&
      (this.#podEventSeq.get(key) ?? 0) <= view.seq;
  }

  #reportProblems(source: string, problems: ManifestProblem[]): void {
    const old = this.#problems.get(source) ?? [];
    const before = new Set(old.map((p) => JSON.stringify(p)));
    const after = new Set(problems.map((p) => JSON.stringify(p)));
    const changed = new Set<string>();
    for (const p of problems) {
      if (!before.has(JSON.stringify(p))) {
        this.log.error(`manifest ${quoteOrigin(p.origin)}${p.line ? `:${p.line}` : ""}: ${p.message}`);
        changed.add(p.origin);
      }
    }
    for (const p of old) if (!after.has(JSON.stringify(p))) changed.add(p.origin);
    this.#problems.set(source, problems);
    // A pod's status message names its manifest's problems: sync the pods whose manifest's changed.
    for (const key of this.#store.keys()) {
      if (changed.has(this.#store.get(key)!.origin)) this.#dispatch(key);
    }
  }

  /** Problems of the manifest a pod came from, for its status message. */
  #problemsOf(origin: string): string | undefined {
    const mine = [...this.#problems.values()].flat().filter((p) => p.origin === origin);
    return mine.length ? mine.map((p) => p.message).join("; ") : undefined;
  }

  async #connect(): Promise<void> {
    for (const backoff = new Backoff(500, 10_000); !this.signal.aborted;) {
      try {
        const version = await this.docker.ping(this.signal);
        await ensurePauseImage(this.docker, this.config.podInfraContainerImage, this.platform.arch, this.log);
        this.log.info(`docker engine ready`, {
          endpoint: this.docker.transport.endpoint.url,
          apiVersion: version,
          engine: `${this.docker.engine.kind} ${this.docker.engine.version}`.trim(),
        });
        this.#engineReady = true;
        this.monitor.engineAnswered();
        return;
      } catch (error) {
        if (this.signal.aborted) return;
        this.monitor.engineFailed(error);
        this.#throttle.report("connect", "waiting for the docker engine", error);
        await sleep(backoff.next(), this.signal);
      }
    }
  }

  #every(ms: number, fn: () => Promise<void> | void): void {
    every(ms, async () => {
      try {
        await fn();
      } catch (e) {
        this.#throttle.report("tick", "periodic work failed", e);
      }
    }, this.signal);
  }

  /**
   * The PLEG's relist: lists the node's containers, diffs them against the
   * last relist, and syncs the pods the events name, the pods no source wants
   * (once every source has been seen) and desired pods never synced yet.
   */
  async #relist(): Promise<void> {
    let next: Map<string, ObservedPod>;
    const began = { seq: this.#eventSeq, epoch: this.#streamEpoch, open: this.#eventsOpen };
    try {
      const t0 = performance.now();
      next = await this.#relister.relist();
      this.config.metrics?.relisted((performance.now() - t0) / 1000);
      this.monitor.engineAnswered();
      this.#throttle.clear("relist");
    } catch (error) {
      this.monitor.engineFailed(error);
      this.#throttle.report("relist", "relist failed", error);
      this.#relistFailed = true;
      return;
    }
    if (this.#relistFailed) {
      // The Engine answers again: the syncs it failed meanwhile are retried now, not after their backoff.
      this.#relistFailed = false;
      this.#workers.retryFailedNow();
    }
    const keys = new Set(relistEvents(this.#pleg, next).map((e) => e.pod));
    this.#pleg = next;
    this.#relistView = began.open ? { pods: next, seq: began.seq, epoch: began.epoch } : undefined;
    // Pods with no event since the view began need no count of their own: the view covers them.
    for (const [key, seq] of this.#podEventSeq) if (seq <= began.seq) this.#podEventSeq.delete(key);
    this.#latest = new Map(next);
    const busy = new Set(this.#workers.busy);
    for (const key of next.keys()) {
      if (!this.#store.has(key) && !busy.has(key) && this.#sourcesPending.size === 0) keys.add(key);
    }
    for (const key of this.#store.keys()) if (!this.#store.result(key)) keys.add(key);
    for (const key of keys) this.#dispatch(key);
    // Only once every source has been seen: until then a pod not yet named may be on its way.
    if (this.#sourcesPending.size === 0) {
      void this.#housekeeping(this.#podsGone || keys.size > 0);
      this.#podsGone = false;
    }
    this.monitor.passed();
  }

  /** The periodic resync: every desired pod syncs, from the PLEG's last relist where it still holds. */
  #resyncAll(): void {
    const view = this.#relistView;
    for (const key of this.#store.keys()) this.#dispatch(key, view);
    this.monitor.passed();
  }

  #status(key: string, record: PodRecord, observed = this.#latest.get(key)): PodStatus {
    const result = this.#store.result(key);
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

  /** Applies one update: the pod's sync, then its probes and status from what the sync saw. */
  async #syncPod(update: PodUpdate): Promise<void> {
    if (!this.#engineReady || this.signal.aborted) return;
    const { key, record } = update;
    // A pod no source has named (yet) is left alone until every source has been seen:
    // a URL that is down must not cost the pods it gave before (the kubelet's sourcesReady).
    if (!record && !this.#store.wasRemoved(key) && this.#sourcesPending.size > 0) return;
    const unhealthy = this.#prober.unhealthy();
    // A sync that changes the pod's containers (or fails half-way, and may have) makes every relist
    // that began before its end stale for the pod: its own events may reach the stream only later.
    let acted = true;
    let outcome: PodSyncOutcome | undefined;
    try {
      outcome = await this.#syncPodOnce(update, unhealthy);
      acted = outcome !== undefined && changesContainers(outcome.actions);
    } finally {
      if (acted) this.#podEventSeq.set(key, ++this.#eventSeq);
    }
    if (!outcome) {
      this.#forget(key);
      return;
    }
    const { observed, actions, result } = outcome;
    for (const k of actions.containersToKill) {
      const message = unhealthy.get(k.id);
      if (message && k.reason === "failed probe") this.#killMessages.set(k.id, message);
    }
    if (!record) {
      if (actions.containersToKill.length || actions.containersToRemove.length) {
        this.log.info(`pod ${key} torn down`);
      }
      // What is left (a removal that failed half-way) shows in the next relist, which syncs it again.
      this.#forget(key);
      return;
    }
    const uid = record.pod.metadata.uid;
    if (
      !observed?.containers.some((c) => c.podUid !== uid) &&
      !observed?.sandboxes.some((c) => c.podUid !== uid)
    ) {
      this.#store.previousGone(key, record);
    }
    for (const id of this.#killMessages.keys()) {
      if (!observed?.containers.some((c) => c.id === id)) this.#killMessages.delete(id);
    }
    this.#prober.syncPod(key, probeTargets(record.pod, observed, this.#hostIP));
    const before = record.status;
    const status = this.#store.synced(key, record, result, () => this.#status(key, record, observed));
    if (status) this.config.metrics?.podStatusChanged(before, status, record.acceptedAt);
    if (actions.resyncAfterMs !== undefined) this.#workers.updateAfter(key, actions.resyncAfterMs + 50);
  }

  /** The runtime half of a sync: the pod's containers (from the handed relist while it holds), plan, execute. */
  #syncPodOnce(
    update: PodUpdate,
    unhealthy: ReadonlyMap<string, string>,
  ): Promise<PodSyncOutcome | undefined> {
    const { key, record } = update;
    const view = update.relist;
    return syncPod({
      runtime: this.#runtime,
      // Handed the PLEG's relist (a resync) and nothing heard of the pod since: no Engine call.
      relister: this.#stillTrue(view, key)
        ? { relistPod: () => Promise.resolve(view.pods.get(key)) }
        : this.#relister,
      unhealthy: () => unhealthy,
      objects: this.#objects,
      observed: (observed) => {
        if (observed) this.#latest.set(key, observed);
        else this.#latest.delete(key);
        // Status shows what the runtime shows (a container that just died, say) at once, before the
        // sync acts on it (restarts it, say), as the kubelet's status manager does.
        if (record?.status && this.#store.get(key) === record) {
          const before = record.status;
          record.status = this.#status(key, record, observed);
          this.config.metrics?.podStatusChanged(before, record.status, record.acceptedAt);
        }
      },
    }, update);
  }

  /** Drops everything kept about a pod that is gone from sources and runtime. */
  #forget(key: string): void {
    this.#podsGone = true;
    this.#store.forget(key);
    this.#latest.delete(key);
    this.#prober.syncPod(key, []);
  }
}
