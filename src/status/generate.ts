/**
 * Pure status building, as the kubelet's status/generate.go and
 * kubelet_pods.go do it: container statuses from the runtime's view, the
 * pod's phase by `getPhase`, and its conditions.
 *
 * @module
 */
import type {
  Container,
  ContainerState,
  ContainerStateWaiting,
  ContainerStatus,
  Pod,
  PodCondition,
  PodStatus,
} from "../api/types.ts";
import type { ObservedContainer, ObservedPod } from "../runtime/observed.ts";
import { qosClass } from "./qos_class.ts";

/** What status needs besides the pod and the runtime's view. */
export interface StatusInput {
  /** Why containers wait, from the last sync (by container name). */
  waiting: Record<string, Required<ContainerStateWaiting>>;
  /** Readiness by container ID, from the probes; a running container is ready when undefined. */
  ready?: (containerId: string) => boolean | undefined;
  /** Whether a running container has started (its startup probe succeeded); true when undefined. */
  started?: (containerId: string) => boolean | undefined;
  /** Why the kubelet killed a container (a failed probe), for its terminated state's message. */
  killMessage?: (containerId: string) => string | undefined;
  hostIP: string;
  /** When the kubelet first accepted the pod. */
  acceptedAt: Date;
  /** The previous status, whose condition transition times are kept when nothing changed. */
  previous?: PodStatus;
  now: Date;
  /** A pod-level problem to report (a broken manifest edit, volumes failing, ...). */
  message?: string;
}

type ContainerInput = Pick<StatusInput, "waiting" | "ready" | "started" | "killMessage"> & {
  /** The waiting reason of a container that has not been created yet. @default "ContainerCreating" */
  notCreated?: string;
};

function terminatedState(c: ObservedContainer, input: ContainerInput): ContainerState {
  const created = c.state === "created";
  return {
    terminated: {
      exitCode: created ? (c.exitCode || 128) : c.exitCode ?? 0,
      reason: created
        ? "ContainerCannotRun"
        : c.oomKilled
        ? "OOMKilled"
        : c.exitCode === 0
        ? "Completed"
        : "Error",
      message: c.terminationMessage ?? input.killMessage?.(c.id) ?? (created ? c.error : undefined),
      startedAt: c.startedAt ?? c.createdAt,
      finishedAt: c.finishedAt ?? c.createdAt,
      containerID: `docker://${c.id}`,
    },
  };
}

/** The status of one container spec from its instances (newest first). */
export function containerStatus(
  spec: Container,
  instances: ObservedContainer[],
  input: ContainerInput,
): ContainerStatus {
  const [latest, previous] = instances;
  const waiting = input.waiting[spec.name];
  const base = {
    name: spec.name,
    image: spec.image,
    imageID: "",
    ready: false,
    restartCount: 0,
    started: false,
  };
  if (!latest) {
    return {
      ...base,
      state: { waiting: waiting ?? { reason: input.notCreated ?? "ContainerCreating" } },
      lastState: {},
    };
  }
  const ids = {
    restartCount: latest.restartCount,
    imageID: latest.imageID ? `docker://${latest.imageID}` : "",
    containerID: `docker://${latest.id}`,
  };
  if (latest.state === "running") {
    return {
      ...base,
      ...ids,
      state: { running: { startedAt: latest.startedAt } },
      lastState: previous && previous.state !== "running" ? terminatedState(previous, input) : {},
      ready: input.ready?.(latest.id) ?? true,
      started: input.started?.(latest.id) ?? true,
    };
  }
  if (waiting) {
    return { ...base, ...ids, state: { waiting }, lastState: terminatedState(latest, input) };
  }
  if (latest.state === "created" && !latest.error) {
    // Created but not started yet (dockershim showed these as waiting too).
    return { ...base, ...ids, state: { waiting: { reason: "ContainerCreating" } }, lastState: {} };
  }
  return {
    ...base,
    ...ids,
    state: terminatedState(latest, input),
    lastState: previous && previous.state !== "running" ? terminatedState(previous, input) : {},
  };
}

/** The pod's phase from its container statuses: `getPhase` in kubelet_pods.go. */
export function podPhase(pod: Pod, init: ContainerStatus[], app: ContainerStatus[]): PodStatus["phase"] {
  const policy = pod.spec.restartPolicy ?? "Always";
  for (const [i, s] of init.entries()) {
    const sidecar = pod.spec.initContainers?.[i]?.restartPolicy === "Always";
    if (sidecar) continue;
    const t = s.state.terminated ?? (s.state.waiting ? s.lastState.terminated : undefined);
    if (t && t.exitCode === 0 && s.state.terminated) continue;
    if (policy === "Never" && s.state.terminated) return "Failed";
    return "Pending";
  }
  let waiting = 0, running = 0, stopped = 0, succeeded = 0;
  for (const s of app) {
    if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState.terminated) stopped++;
      else waiting++;
    }
  }
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped > 0) {
    if (policy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (policy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

function condition(
  type: string,
  ok: boolean,
  input: StatusInput,
  reason?: string,
  message?: string,
): PodCondition {
  const before = input.previous?.conditions?.find((c) => c.type === type);
  const status = ok ? "True" : "False";
  const at = before && before.status === status ? before.lastTransitionTime : input.now.toISOString();
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: at,
    ...(ok ? {} : { reason, message }),
  };
}

const noSeconds = (iso: string | null | undefined) => iso ? iso.replace(/\.\d+Z$/, "Z") : iso;

/** The whole status of `pod` from what the runtime shows. */
export function generatePodStatus(
  pod: Pod,
  observed: ObservedPod | undefined,
  input: StatusInput,
): PodStatus {
  const uid = pod.metadata.uid;
  const mine = (observed?.containers ?? []).filter((c) => c.podUid === uid);
  const sandbox = (observed?.sandboxes ?? []).find((s) => s.podUid === uid);
  const of = (kind: string, name: string) => mine.filter((c) => c.kind === kind && c.name === name);
  const initSpecs = pod.spec.initContainers ?? [];
  const init = initSpecs.map((s) => containerStatus(s, of("init", s.name), input));
  const incomplete = init.filter((s, i) =>
    initSpecs[i].restartPolicy === "Always" ? !s.started : s.state.terminated?.exitCode !== 0
  ).map((s) => s.name);
  // While init containers run, the others wait with the kubelet's PodInitializing.
  const appInput = incomplete.length ? { ...input, notCreated: "PodInitializing" } : input;
  const app = pod.spec.containers.map((s) => containerStatus(s, of("app", s.name), appInput));
  const phase = podPhase(pod, init, app);
  const notReady = app.filter((s) => !s.ready).map((s) => s.name);
  const done = phase === "Succeeded" || phase === "Failed";
  const initialized = incomplete.length === 0 || phase === "Succeeded";
  const notReadyWhy: [string, string | undefined] = done
    ? ["PodCompleted", undefined]
    : ["ContainersNotReady", `containers with unready status: [${notReady.join(" ")}]`];
  const conditions = [
    condition("PodReadyToStartContainers", sandbox?.state === "running", input),
    condition(
      "Initialized",
      initialized,
      input,
      "ContainersNotInitialized",
      `containers with incomplete status: [${incomplete.join(" ")}]`,
    ),
    condition("Ready", notReady.length === 0, input, ...notReadyWhy),
    condition("ContainersReady", notReady.length === 0, input, ...notReadyWhy),
    condition("PodScheduled", true, input),
  ].map((c) => ({ ...c, lastTransitionTime: noSeconds(c.lastTransitionTime) ?? null }));
  const hostNetwork = pod.spec.hostNetwork === true;
  const podIP = hostNetwork ? input.hostIP : sandbox?.state === "running" ? sandbox.ip : undefined;
  return {
    phase,
    conditions,
    ...(input.message ? { message: input.message } : {}),
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: noSeconds(input.acceptedAt.toISOString())!,
    ...(init.length ? { initContainerStatuses: init } : {}),
    containerStatuses: app,
    qosClass: qosClass(pod),
  };
}
