/**
 * One probe of one container, run every `periodSeconds` (the kubelet's
 * prober/worker.go): the result flips only after `failureThreshold`
 * consecutive failures or `successThreshold` consecutive successes, and
 * each flip is reported once.
 *
 * @module
 */
import type { Probe } from "../api/types.ts";
import type { HandlerDeps, HandlerResult, HandlerTarget } from "../lifecycle/run_handler.ts";
import { runHandler } from "../lifecycle/run_handler.ts";

export type ProbeKind = "liveness" | "readiness" | "startup";
export type ProbeResult = "success" | "failure" | "unknown";

/** The kubelet's initial results: liveness succeeds, readiness fails, startup is unknown. */
export const INITIAL_RESULT: Record<ProbeKind, ProbeResult> = {
  liveness: "success",
  readiness: "failure",
  startup: "unknown",
};

export interface ProbeWorkerOptions {
  kind: ProbeKind;
  probe: Probe;
  target: HandlerTarget;
  /** When the container started, in ms since the epoch (initialDelaySeconds counts from here). */
  startedAt: number;
  deps: HandlerDeps;
  /** False while this probe must wait (liveness and readiness wait for the startup probe). */
  mayRun: () => boolean;
  /** Called when the result changes, with the last action's output. */
  onResult: (result: ProbeResult, output: string) => void;
  now?: () => number;
  /** Runs the action; the real handler by default (tests may count calls). */
  run?: (timeoutMs: number) => Promise<HandlerResult>;
}

export class ProbeWorker {
  #result: ProbeResult;
  #successes = 0;
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  /** After a liveness or startup failure the container is being killed: stop probing it. */
  #onHold = false;

  constructor(private readonly o: ProbeWorkerOptions) {
    this.#result = INITIAL_RESULT[o.kind];
    const now = o.now?.() ?? Date.now();
    const delay = Math.max(0, o.startedAt + (o.probe.initialDelaySeconds ?? 0) * 1000 - now);
    this.#schedule(delay);
  }

  get result(): ProbeResult {
    return this.#result;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => this.#tick(), ms);
  }

  async #tick(): Promise<void> {
    const period = (this.o.probe.periodSeconds ?? 10) * 1000;
    if (this.#onHold || !this.o.mayRun()) return this.#schedule(period);
    const timeoutMs = (this.o.probe.timeoutSeconds ?? 1) * 1000;
    const run = this.o.run ?? ((t: number) => runHandler(this.o.probe, this.o.target, this.o.deps, t));
    const { ok, output } = await run(timeoutMs);
    if (this.#stopped) return;
    if (ok) {
      this.#successes++;
      this.#failures = 0;
    } else {
      this.#failures++;
      this.#successes = 0;
    }
    let next: ProbeResult | undefined;
    if (ok && this.#result !== "success" && this.#successes >= (this.o.probe.successThreshold ?? 1)) {
      next = "success";
    }
    if (!ok && this.#result !== "failure" && this.#failures >= (this.o.probe.failureThreshold ?? 3)) {
      next = "failure";
    }
    if (next) {
      this.#result = next;
      if (next === "failure" && this.o.kind !== "readiness") this.#onHold = true;
      this.o.onResult(next, output);
    }
    // A startup probe that succeeded is done: the kubelet stops running it.
    if (this.o.kind === "startup" && this.#result === "success") return;
    this.#schedule(period);
  }
}
