/**
 * One pod as `kubectl get pods` shows it: READY, STATUS, RESTARTS and AGE
 * computed as kubectl's `printPod` (pkg/printers/internalversion) computes
 * them, for the CLI's table and the node page.
 *
 * @module
 */
import type { Container, ContainerStatus, Pod } from "../api/types.ts";

/** One row of the pod table. */
export interface PodRow {
  name: string;
  namespace: string;
  /** `ready/total`, e.g. `2/2`. */
  ready: string;
  /** kubectl's STATUS: the phase, or the reason that matters (`CrashLoopBackOff`, `Init:0/1`, `Completed`). */
  status: string;
  /** Restarts, with the time since the last one (`3 (45s ago)`). */
  restarts: string;
  /** Time since the pod was created (or, for a static pod with no creation time, accepted). */
  age: string;
  ip: string;
  node: string;
}

/**
 * A duration as kubectl prints ages (`HumanDuration` of
 * k8s.io/apimachinery/pkg/util/duration): `45s`, `3m2s`, `15m`, `5h3m`, `2d3h`, `3y`.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function since(time: string | null | undefined, now: Date): string {
  const t = time ? Date.parse(time) : NaN;
  return Number.isNaN(t) ? "<unknown>" : humanDuration(now.getTime() - t);
}

const isSidecar = (c: Container | undefined) => c?.restartPolicy === "Always";

function terminatedReason(t: NonNullable<ContainerStatus["state"]["terminated"]>, prefix = ""): string {
  if (t.reason) return prefix + t.reason;
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode}`;
}

/** The row of `pod` at `now`. */
export function podRow(pod: Pod, now: Date): PodRow {
  const status = pod.status ?? { phase: "Pending" as const };
  const initSpecs = new Map((pod.spec.initContainers ?? []).map((c) => [c.name, c]));
  let total = pod.spec.containers.length;
  for (const c of initSpecs.values()) if (isSidecar(c)) total++;
  let ready = 0, restarts = 0, sidecarRestarts = 0;
  let lastRestart = 0, lastSidecarRestart = 0;
  let reason: string = status.reason || status.phase;
  const finished = (s: ContainerStatus) => Date.parse(s.lastState?.terminated?.finishedAt ?? "") || 0;

  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (const [i, c] of inits.entries()) {
    restarts += c.restartCount;
    lastRestart = Math.max(lastRestart, finished(c));
    const sidecar = isSidecar(initSpecs.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount;
      lastSidecarRestart = Math.max(lastSidecarRestart, finished(c));
    }
    const t = c.state.terminated;
    if (t && t.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (t) reason = terminatedReason(t, "Init:");
    else if (c.state.waiting?.reason && c.state.waiting.reason !== "PodInitializing") {
      reason = `Init:${c.state.waiting.reason}`;
    } else reason = `Init:${i}/${initSpecs.size}`;
    initializing = true;
    break;
  }
  const initialized = status.conditions?.some((c) => c.type === "Initialized" && c.status === "True") ??
    false;
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let running = false;
    const apps = status.containerStatuses ?? [];
    for (let i = apps.length - 1; i >= 0; i--) {
      const c = apps[i];
      restarts += c.restartCount;
      lastRestart = Math.max(lastRestart, finished(c));
      if (c.state.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state.terminated) reason = terminatedReason(c.state.terminated);
      else if (c.ready && c.state.running) {
        running = true;
        ready++;
      }
    }
    if (reason === "Completed" && running) {
      const podReady = status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
      reason = podReady ? "Running" : "NotReady";
    }
  }
  const restartText = restarts !== 0 && lastRestart > 0
    ? `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`
    : String(restarts);
  return {
    name: pod.metadata.name ?? "",
    namespace: pod.metadata.namespace ?? "",
    ready: `${ready}/${total}`,
    status: reason,
    restarts: restartText,
    // Static pods have no creation time without an API server: count from when the kubelet accepted them.
    age: since(pod.metadata.creationTimestamp || status.startTime, now),
    ip: status.podIPs?.[0]?.ip || status.podIP || "<none>",
    node: pod.spec.nodeName || "<none>",
  };
}

/**
 * The most telling problem of a pod, for the node page: its status message,
 * a container's waiting reason with message, or its last failed exit.
 * Undefined when nothing is wrong.
 */
export function lastError(pod: Pod): string | undefined {
  const status = pod.status;
  if (!status) return undefined;
  if (status.message) return status.message;
  const all = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  for (const c of all) {
    const w = c.state.waiting;
    if (w?.reason && !["ContainerCreating", "PodInitializing"].includes(w.reason)) {
      return `${c.name}: ${w.reason}${w.message ? `: ${w.message}` : ""}`;
    }
  }
  for (const c of all) {
    const t = c.state.terminated?.exitCode ? c.state.terminated : c.lastState?.terminated;
    if (t && t.exitCode !== 0) {
      return `${c.name}: ${t.reason ?? "Error"} (exit code ${t.exitCode})${
        t.message ? `: ${t.message}` : ""
      }`;
    }
  }
  return undefined;
}
