/**
 * Lists the containers this kubelet owns and groups them into pods — the
 * "relist" of the kubelet's pod lifecycle event generator. Inspect results are
 * cached per container and state, so a relist of an unchanged node costs one
 * Engine call.
 *
 * @module
 */
import type { DockerClient } from "../docker/client.ts";
import type { ContainerInspect, ContainerSummary } from "../docker/types.ts";
import { isSafePodUid } from "../api/pod_uid.ts";
import type { Logger } from "../log.ts";
import * as L from "./labels.ts";
import { type ObservedContainer, observedFullName, type ObservedPod } from "./observed.ts";

const ZERO_TIME = "0001-01-01T00:00:00Z";

function engineTime(t: string | undefined): string | undefined {
  return !t || t === ZERO_TIME ? undefined : t;
}

/**
 * The kubelet's state of an Engine's `State.Status`. Podman's compatible
 * inspect passes libpod's own states through: `stopped` (exited, its
 * cleanup not yet run: for a moment after each exit), `stopping`, and
 * `configured` (created, never initialised).
 */
export function toState(s: string): ObservedContainer["state"] {
  if (s === "running" || s === "paused" || s === "restarting" || s === "stopping") return "running";
  if (s === "exited" || s === "dead" || s === "stopped") return "exited";
  if (s === "created" || s === "configured") return "created";
  return "unknown";
}

/** Builds the observed view of one container from its list row and inspect. */
export function toObservedContainer(row: ContainerSummary, inspect: ContainerInspect): ObservedContainer {
  const labels = row.Labels;
  const isSandbox = labels[L.LABEL_TYPE] === "podsandbox";
  const state = toState(inspect.State.Status);
  const nets = inspect.NetworkSettings?.Networks ?? {};
  const ip = inspect.NetworkSettings?.IPAddress || Object.values(nets).find((n) => n.IPAddress)?.IPAddress ||
    undefined;
  return {
    id: row.Id,
    name: labels[L.LABEL_CONTAINER_NAME] ?? "",
    kind: isSandbox ? "sandbox" : labels[L.LABEL_CONTAINER_KIND] === "init" ? "init" : "app",
    podName: labels[L.LABEL_POD_NAME] ?? "",
    podNamespace: labels[L.LABEL_POD_NAMESPACE] ?? "",
    podUid: labels[L.LABEL_POD_UID] ?? "",
    sandboxId: labels[L.LABEL_SANDBOX_ID],
    state,
    createdAt: inspect.Created,
    startedAt: engineTime(inspect.State.StartedAt),
    finishedAt: state === "running" ? undefined : engineTime(inspect.State.FinishedAt),
    exitCode: state === "running" ? undefined : inspect.State.ExitCode,
    oomKilled: inspect.State.OOMKilled,
    error: inspect.State.Error || undefined,
    hash: labels[L.LABEL_CONTAINER_HASH] ?? "",
    restartCount: Number(labels[L.LABEL_RESTART_COUNT] ?? 0) || 0,
    backoffSeconds: Number(labels[L.LABEL_BACKOFF] ?? 0) || 0,
    attempt: Number(labels[L.LABEL_ATTEMPT] ?? 0) || 0,
    image: inspect.Config.Image,
    imageID: inspect.Image,
    gracePeriodSeconds: Number(labels[L.LABEL_GRACE_PERIOD] ?? 30),
    ip,
  };
}

/** The pod labels a container of this kubelet always carries. */
const POD_LABELS = [L.LABEL_POD_NAME, L.LABEL_POD_NAMESPACE, L.LABEL_POD_UID, L.LABEL_CONTAINER_NAME];

/**
 * Why a container with this node's label is not one of its pods' (a pod
 * label missing or empty, or a UID that is no safe directory name), or
 * undefined when it is. Such a container was not made by this kubelet: it is
 * never adopted, stopped or removed, and no pod data is touched for it.
 */
export function foreignReason(labels: Record<string, string>): string | undefined {
  const missing = POD_LABELS.filter((l) => !labels[l]);
  if (missing.length) return `missing label${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`;
  if (!isSafePodUid(labels[L.LABEL_POD_UID])) {
    return `unsafe pod UID ${JSON.stringify(labels[L.LABEL_POD_UID])}`;
  }
  return undefined;
}

/** Groups containers by pod full name, newest first within each list. */
export function groupByPod(containers: ObservedContainer[]): Map<string, ObservedPod> {
  const pods = new Map<string, ObservedPod>();
  const sorted = [...containers].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  for (const c of sorted) {
    const key = observedFullName(c);
    let pod = pods.get(key);
    if (!pod) {
      pods.set(key, pod = { name: c.podName, namespace: c.podNamespace, sandboxes: [], containers: [] });
    }
    (c.kind === "sandbox" ? pod.sandboxes : pod.containers).push(c);
  }
  return pods;
}

/** Relists the containers of one node, reusing inspects of containers whose state did not change. */
export class Relister {
  #cache = new Map<string, { state: string; observed: ObservedContainer }>();
  /** Foreign containers already logged, so each is logged once. */
  #foreign = new Set<string>();

  /**
   * @param readTerminationMessage reads the message of a container that has exited, once per exit
   * @param log warns, once per container, of a foreign container carrying this node's label
   */
  constructor(
    private readonly docker: DockerClient,
    private readonly node: string,
    private readonly readTerminationMessage?: (inspect: ContainerInspect) => Promise<string | undefined>,
    private readonly log?: Pick<Logger, "warn">,
  ) {}

  /** Every container of this node, grouped into pods. */
  async relist(): Promise<Map<string, ObservedPod>> {
    const rows = (await this.docker.listContainers([`${L.LABEL_NODE}=${this.node}`]))
      .filter((row) => !this.#isForeign(row));
    const next = new Map<string, { state: string; observed: ObservedContainer }>();
    await Promise.all(rows.map(async (row) => {
      const entry = await this.#observe(row);
      if (entry) next.set(row.Id, entry);
    }));
    this.#cache = next;
    return groupByPod([...next.values()].map((e) => e.observed));
  }

  /**
   * The containers of one pod of this node (one filtered Engine list, and
   * inspects only of containers whose state changed); `undefined` when it has none.
   */
  async relistPod(name: string, namespace: string): Promise<ObservedPod | undefined> {
    const rows = (await this.docker.listContainers([
      `${L.LABEL_NODE}=${this.node}`,
      `${L.LABEL_POD_NAME}=${name}`,
      `${L.LABEL_POD_NAMESPACE}=${namespace}`,
    ])).filter((row) => !this.#isForeign(row));
    const key = observedFullName({ podName: name, podNamespace: namespace });
    const seen = new Set(rows.map((r) => r.Id));
    for (const [id, entry] of this.#cache) {
      if (!seen.has(id) && observedFullName(entry.observed) === key) this.#cache.delete(id);
    }
    const entries = await Promise.all(rows.map(async (row) => {
      const entry = await this.#observe(row);
      if (entry) this.#cache.set(row.Id, entry);
      return entry?.observed;
    }));
    return groupByPod(entries.filter((e) => e !== undefined)).get(key);
  }

  async #observe(row: ContainerSummary): Promise<{ state: string; observed: ObservedContainer } | undefined> {
    const cached = this.#cache.get(row.Id);
    if (cached && cached.state === row.State) return cached;
    const inspect = await this.docker.inspectContainer(row.Id);
    if (!inspect) return undefined;
    const observed = toObservedContainer(row, inspect);
    if (observed.state === "exited" && this.readTerminationMessage) {
      observed.terminationMessage = await this.readTerminationMessage(inspect).catch(() => undefined);
    }
    return { state: row.State, observed };
  }

  #isForeign(row: ContainerSummary): boolean {
    const why = foreignReason(row.Labels ?? {});
    if (why && !this.#foreign.has(row.Id)) {
      this.#foreign.add(row.Id);
      this.log?.warn(
        `ignoring container ${
          row.Names?.[0] ?? row.Id.slice(0, 12)
        }: it has this node's label but is not a pod's (${why})`,
        {
          id: row.Id.slice(0, 12),
        },
      );
    }
    return why !== undefined;
  }

  /** Forgets a container's cached inspect, so the next relist reads it afresh. */
  invalidate(id: string): void {
    this.#cache.delete(id);
  }
}
