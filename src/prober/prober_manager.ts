/**
 * Keeps one {@link ProbeWorker} per probe of each running container and
 * answers what status and the planner ask: is a container ready, has it
 * started, which containers failed liveness or startup.
 *
 * @module
 */
import type { Container, Pod } from "../api/types.ts";
import type { Logger } from "../log.ts";
import { type EventSink, podRef } from "../events/event_recorder.ts";
import type { HandlerDeps } from "../lifecycle/run_handler.ts";
import { type ProbeKind, type ProbeResult, ProbeWorker } from "./probe_worker.ts";

/** A running container whose probes should run. */
export interface ProbeTarget {
  pod: Pod;
  container: Container;
  containerId: string;
  /** Start time of the container, ms since the epoch. */
  startedAt: number;
  podIP?: string;
}

const KINDS: [ProbeKind, "livenessProbe" | "readinessProbe" | "startupProbe"][] = [
  ["startup", "startupProbe"],
  ["liveness", "livenessProbe"],
  ["readiness", "readinessProbe"],
];

export class ProberManager {
  /** Workers by pod key, then by `containerId/kind`. */
  #workers = new Map<string, Map<string, ProbeWorker>>();
  /** Why a container failed liveness or startup, by container ID. */
  #failed = new Map<string, string>();

  /**
   * @param onChange called with the pod's key whenever a probe result changes.
   * @param events where `Unhealthy` events go
   */
  constructor(
    private readonly deps: HandlerDeps,
    private readonly log: Logger,
    private readonly onChange: (podKey: string) => void,
    private readonly events?: EventSink,
  ) {}

  /** Makes the pod's workers match `targets` (its running containers); `[]` stops them all. */
  syncPod(podKey: string, targets: ProbeTarget[]): void {
    const current = this.#workers.get(podKey) ?? new Map<string, ProbeWorker>();
    const wanted = new Set<string>();
    for (const t of targets) {
      for (const [kind, field] of KINDS) {
        const probe = t.container[field];
        if (!probe) continue;
        const key = `${t.containerId}/${kind}`;
        wanted.add(key);
        if (current.has(key)) continue;
        current.set(key, this.#start(podKey, kind, t));
      }
    }
    for (const [key, worker] of current) {
      if (wanted.has(key)) continue;
      worker.stop();
      current.delete(key);
      this.#failed.delete(key.slice(0, key.indexOf("/")));
    }
    if (current.size) this.#workers.set(podKey, current);
    else this.#workers.delete(podKey);
  }

  #start(podKey: string, kind: ProbeKind, t: ProbeTarget): ProbeWorker {
    const probe = t.container[KINDS.find(([k]) => k === kind)![1]]!;
    const startup = () => this.#workers.get(podKey)?.get(`${t.containerId}/startup`);
    const worker = new ProbeWorker({
      kind,
      probe,
      target: { containerId: t.containerId, container: t.container, podIP: t.podIP },
      startedAt: t.startedAt,
      deps: this.deps,
      mayRun: () => kind === "startup" || !startup() || startup()!.result === "success",
      onResult: (result, output) => this.#report(podKey, kind, t, result, output),
    });
    return worker;
  }

  #report(podKey: string, kind: ProbeKind, t: ProbeTarget, result: ProbeResult, output: string): void {
    const name = t.container.name;
    const label = kind[0].toUpperCase() + kind.slice(1);
    if (result === "failure") {
      this.log.warn(`pod ${podKey}: ${label} probe failed for container ${name}`, { output: output.trim() });
      this.events?.event(
        podRef(t.pod, { name, init: t.pod.spec.initContainers?.some((c) => c.name === name) }),
        "Warning",
        "Unhealthy",
        `${label} probe failed: ${output.trim()}`,
      );
      if (kind !== "readiness") {
        this.#failed.set(t.containerId, `Container ${name} failed ${kind} probe, will be restarted`);
      }
    } else {
      this.log.info(`pod ${podKey}: ${label} probe of container ${name}: ${result}`);
    }
    this.onChange(podKey);
  }

  #result(containerId: string, podKey: string, kind: ProbeKind): ProbeResult | undefined {
    return this.#workers.get(podKey)?.get(`${containerId}/${kind}`)?.result;
  }

  /** Whether a running container has started: its startup probe succeeded, or it has none. */
  started(podKey: string, containerId: string): boolean {
    const r = this.#result(containerId, podKey, "startup");
    return r === undefined || r === "success";
  }

  /** Whether a running container is ready: started, and its readiness probe (if any) succeeds. */
  ready(podKey: string, containerId: string): boolean {
    if (!this.started(podKey, containerId)) return false;
    const r = this.#result(containerId, podKey, "readiness");
    return r === undefined || r === "success";
  }

  /** Containers whose liveness or startup probe failed, with the kubelet's message. */
  unhealthy(): ReadonlyMap<string, string> {
    return this.#failed;
  }

  /** Stops every worker. */
  stop(): void {
    for (const key of [...this.#workers.keys()]) this.syncPod(key, []);
  }
}
