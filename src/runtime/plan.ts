/**
 * The pure planner: from the desired pod and what the runtime shows, decide
 * what to kill, whether to create an infra container, and which containers to
 * start — `computePodActions` in the kubelet's kuberuntime_manager.go. No I/O:
 * probe results and the clock come in as arguments.
 *
 * @module
 */
import type { Container, Pod } from "../api/types.ts";
import { formatDuration } from "../duration.ts";
import { containerHash } from "./container_hash.ts";
import { nextBackoffSeconds, remainingBackoffMs } from "./backoff.ts";
import type { ObservedContainer, ObservedPod } from "./observed.ts";

/** A container to create and start. */
export interface StartAction {
  name: string;
  kind: "init" | "app";
  restartCount: number;
  /** CrashLoopBackOff step to record on the new container. */
  backoffSeconds: number;
}

/** A container (or infra container) to stop, and why. */
export interface KillAction {
  id: string;
  name: string;
  reason: string;
  /** Remove it after stopping (containers of an old pod version). */
  remove: boolean;
}

/** The plan for one pod; the executor applies it in field order. */
export interface PodActions {
  /** Containers to stop first: all of them, infra last, when the pod goes. */
  containersToKill: KillAction[];
  /** Dead containers to remove (garbage: older than the last dead instance). */
  containersToRemove: string[];
  /** Make a new infra container (the pod's network namespace). */
  createSandbox: boolean;
  /** Attempt number of the new infra container. */
  attempt: number;
  /** The running infra container to join when none is created. */
  sandboxId?: string;
  /** Containers to start, in order (init containers come one at a time). */
  containersToStart: StartAction[];
  /** Containers waiting out CrashLoopBackOff, by name. */
  backingOff: Record<string, { reason: string; message: string }>;
  /** Milliseconds until the earliest backoff ends, when some container waits. */
  resyncAfterMs?: number;
  /** The pod's volumes can go (pod removed). */
  cleanupVolumes: boolean;
  /** The config digests the spec hashes of containers to start take in (from {@linkcode PlanContext}). */
  configDigests?: Readonly<Record<string, string>>;
}

/** Whether carrying out `actions` changes the pod's containers in the Engine (kills, removes, creates, starts). */
export function changesContainers(actions: PodActions): boolean {
  return actions.containersToKill.length > 0 || actions.containersToRemove.length > 0 ||
    actions.createSandbox || actions.containersToStart.length > 0;
}

/** What the planner needs besides the pod and the runtime's view. */
export interface PlanContext {
  /** Now, in milliseconds since the epoch. */
  now: number;
  /** IDs of containers whose liveness or startup probe has failed. */
  unhealthy?: ReadonlySet<string>;
  /**
   * Digests of the ConfigMaps and Secrets each container consumes, by name,
   * for pods that restart on their changes (`configDigests`): part of the
   * spec hash, so a change replaces the container.
   */
  configDigests?: Readonly<Record<string, string>>;
}

const emptyActions = (): PodActions => ({
  containersToKill: [],
  containersToRemove: [],
  createSandbox: false,
  attempt: 0,
  containersToStart: [],
  backingOff: {},
  cleanupVolumes: false,
});

const alive = (c: ObservedContainer) => c.state === "running";

function killAll(containers: ObservedContainer[], reason: string, actions: PodActions): void {
  for (const c of containers) {
    actions.containersToKill.push({ id: c.id, name: c.name, reason, remove: true });
  }
}

/** Whether a dead container should run again under the pod's restartPolicy. */
export function shouldRestart(pod: Pod, c: ObservedContainer, spec?: Container): boolean {
  if (spec?.restartPolicy === "Always") return true;
  const policy = pod.spec.restartPolicy ?? "Always";
  if (policy === "Always") return true;
  if (policy === "OnFailure") return c.exitCode !== 0;
  return false;
}

/**
 * Decides the actions that bring the runtime to the desired pod.
 * `pod` null means the pod is gone: everything of it is killed and removed.
 */
export function computePodActions(
  pod: Pod | null,
  observed: ObservedPod | undefined,
  ctx: PlanContext,
): PodActions {
  const actions = emptyActions();
  if (ctx.configDigests && Object.keys(ctx.configDigests).length > 0) {
    actions.configDigests = ctx.configDigests;
  }
  const sandboxes = observed?.sandboxes ?? [];
  const containers = observed?.containers ?? [];
  if (!pod) {
    // Containers before the infra container, so the network goes last.
    killAll([...containers, ...sandboxes], "pod removed", actions);
    actions.cleanupVolumes = true;
    return actions;
  }
  const uid = pod.metadata.uid!;
  // Containers of an earlier version of this pod (another UID) go before the new ones start.
  killAll(containers.filter((c) => c.podUid !== uid), "pod changed", actions);
  killAll(sandboxes.filter((s) => s.podUid !== uid), "pod changed", actions);
  const mine = containers.filter((c) => c.podUid === uid);
  const mySandboxes = sandboxes.filter((s) => s.podUid === uid);
  const sandbox = mySandboxes[0];

  garbageCollect(mine, mySandboxes, actions);

  const liveSandboxes = mySandboxes.filter(alive);
  if (liveSandboxes.length > 1 || (liveSandboxes.length === 1 && !alive(sandbox))) {
    // Several infra containers run for one pod, or an older one outlived the newest (a kubelet
    // killed mid-sync): as the kubelet's podSandboxChanged, kill the pod and start over in a new one.
    for (const c of [...mine.filter(alive), ...liveSandboxes]) {
      actions.containersToKill.push({ id: c.id, name: c.name, reason: "pod sandbox changed", remove: false });
    }
    if ((pod.spec.restartPolicy ?? "Always") === "Never" && mine.length > 0) return actions;
    actions.createSandbox = true;
    actions.attempt = sandbox.attempt + 1;
    planContainers(pod, [], mine, ctx, actions);
    return actions;
  }

  if (sandbox && alive(sandbox)) {
    actions.sandboxId = sandbox.id;
    const inSandbox = mine.filter((c) => c.sandboxId === sandbox.id);
    planContainers(pod, inSandbox, mine, ctx, actions);
    const killed = new Set(actions.containersToKill.map((k) => k.id));
    const keeps = inSandbox.some((c) => alive(c) && !killed.has(c.id));
    if (!keeps && actions.containersToStart.length === 0 && Object.keys(actions.backingOff).length === 0) {
      // Nothing runs or will run again: the pod is done, and so is its infra container (KillPod).
      actions.containersToKill.push({
        id: sandbox.id,
        name: sandbox.name,
        reason: "pod finished",
        remove: false,
      });
    }
    return actions;
  }
  if (podFinished(pod, mine)) {
    // The kubelet does not bring back a pod whose containers are all done for good.
    for (const c of mine.filter(alive)) {
      actions.containersToKill.push({ id: c.id, name: c.name, reason: "pod finished", remove: false });
    }
    return actions;
  }
  if ((pod.spec.restartPolicy ?? "Always") === "Never" && sandbox && mine.length > 0) {
    // Under Never, a pod whose infra container died after its containers ran is not recreated.
    for (const c of mine.filter(alive)) {
      actions.containersToKill.push({
        id: c.id,
        name: c.name,
        reason: "infra container died",
        remove: false,
      });
    }
    return actions;
  }
  // No live infra container: every container of the pod restarts in a new one.
  for (const c of mine.filter((c) => c.state === "running")) {
    actions.containersToKill.push({ id: c.id, name: c.name, reason: "infra container died", remove: false });
  }
  actions.createSandbox = true;
  actions.attempt = sandbox ? sandbox.attempt + 1 : 0;
  planContainers(pod, [], mine, ctx, actions);
  return actions;
}

/** True when no container of the pod runs or will run again. */
function podFinished(pod: Pod, mine: ObservedContainer[]): boolean {
  if ((pod.spec.restartPolicy ?? "Always") === "Always") return false;
  return pod.spec.containers.every((spec) => {
    const latest = mine.find((c) => c.kind === "app" && c.name === spec.name);
    return latest !== undefined && latest.state === "exited" && !shouldRestart(pod, latest);
  });
}

/** Keeps the newest dead instance of each container (for lastState); removes the older ones. */
function garbageCollect(
  mine: ObservedContainer[],
  sandboxes: ObservedContainer[],
  actions: PodActions,
): void {
  const seenDead = new Set<string>();
  for (const c of mine) {
    if (alive(c)) continue;
    const key = `${c.kind}/${c.name}`;
    if (seenDead.has(key)) actions.containersToRemove.push(c.id);
    seenDead.add(key);
  }
  const inUse = new Set(
    mine.filter((c) => !actions.containersToRemove.includes(c.id)).map((c) => c.sandboxId),
  );
  for (const s of sandboxes.slice(1)) {
    if (!alive(s) && !inUse.has(s.id)) actions.containersToRemove.push(s.id);
  }
}

function planContainers(
  pod: Pod,
  inSandbox: ObservedContainer[],
  mine: ObservedContainer[],
  ctx: PlanContext,
  actions: PodActions,
): void {
  // Init containers: one at a time, in order; sidecars (restartPolicy Always) keep running.
  for (const spec of pod.spec.initContainers ?? []) {
    const latest = inSandbox.find((c) => c.kind === "init" && c.name === spec.name);
    const sidecar = spec.restartPolicy === "Always";
    if (latest && alive(latest)) {
      if (sidecar) {
        planRunning(pod, spec, latest, "init", ctx, actions);
        continue;
      }
      return; // still running: wait for it
    }
    if (latest && latest.state === "exited" && latest.exitCode === 0 && !sidecar) continue;
    // Under Never, an init container that ran and failed fails the pod; one created but never
    // started (a kubelet killed between create and start) is started again, as the kubelet does.
    if (
      latest && latest.state !== "created" && !sidecar && (pod.spec.restartPolicy ?? "Always") === "Never"
    ) {
      return;
    }
    planStart(pod, spec, "init", latest ?? newestOf(mine, "init", spec.name), ctx, actions);
    if (!sidecar || actions.backingOff[spec.name]) return;
  }
  for (const spec of pod.spec.containers) {
    const latest = inSandbox.find((c) => c.kind === "app" && c.name === spec.name);
    if (latest && alive(latest)) {
      planRunning(pod, spec, latest, "app", ctx, actions);
      continue;
    }
    const previous = latest ?? newestOf(mine, "app", spec.name);
    if (previous && previous.state === "exited" && !shouldRestart(pod, previous)) continue;
    planStart(pod, spec, "app", previous, ctx, actions);
  }
}

function newestOf(mine: ObservedContainer[], kind: string, name: string): ObservedContainer | undefined {
  return mine.find((c) => c.kind === kind && c.name === name);
}

/** A running container is replaced when its spec changed or a probe says it is unhealthy. */
function planRunning(
  pod: Pod,
  spec: Container,
  c: ObservedContainer,
  kind: "init" | "app",
  ctx: PlanContext,
  actions: PodActions,
): void {
  if (c.hash !== containerHash(spec, ctx.configDigests?.[spec.name])) {
    actions.containersToKill.push({
      id: c.id,
      name: c.name,
      reason: "container spec changed",
      remove: false,
    });
    // A new spec starts its backoff afresh, as the kubelet keys backoff on the spec hash.
    actions.containersToStart.push({
      name: spec.name,
      kind,
      restartCount: c.restartCount + 1,
      backoffSeconds: 0,
    });
  } else if (ctx.unhealthy?.has(c.id)) {
    actions.containersToKill.push({ id: c.id, name: c.name, reason: "failed probe", remove: false });
    if (spec.restartPolicy === "Always" || (pod.spec.restartPolicy ?? "Always") !== "Never") {
      actions.containersToStart.push({
        name: spec.name,
        kind,
        restartCount: c.restartCount + 1,
        backoffSeconds: nextBackoffSeconds(c, ctx.now),
      });
    }
  }
}

/** Starts a container, or records that it waits out its CrashLoopBackOff. */
function planStart(
  pod: Pod,
  spec: Container,
  kind: "init" | "app",
  previous: ObservedContainer | undefined,
  ctx: PlanContext,
  actions: PodActions,
): void {
  if (!previous) {
    actions.containersToStart.push({ name: spec.name, kind, restartCount: 0, backoffSeconds: 0 });
    return;
  }
  const wait = previous.state === "exited" || previous.state === "created"
    ? remainingBackoffMs(previous, ctx.now)
    : 0;
  if (wait > 0) {
    actions.backingOff[spec.name] = {
      reason: "CrashLoopBackOff",
      message: `back-off ${
        formatDuration(previous.backoffSeconds * 1000)
      } restarting failed container=${spec.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
    };
    actions.resyncAfterMs = Math.min(actions.resyncAfterMs ?? Infinity, wait);
    return;
  }
  if (previous.state === "created") actions.containersToRemove.push(previous.id);
  actions.containersToStart.push({
    name: spec.name,
    kind,
    restartCount: previous.restartCount + 1,
    backoffSeconds: nextBackoffSeconds(previous, ctx.now),
  });
}
