/**
 * The executor: applies a {@link PodActions} plan to the Engine in the
 * kubelet's fixed order (SyncPod in kuberuntime_manager.go): kill, remove
 * garbage, create the infra container, start init containers, start
 * containers.
 *
 * @module
 */
import type { Container, Pod } from "../api/types.ts";
import type { Semaphore } from "../semaphore.ts";
import type { DockerClient } from "../docker/client.ts";
import type { ImageInspect } from "../docker/types.ts";
import { DockerError } from "../docker/docker_error.ts";
import type { Logger } from "../log.ts";
import type { Platform } from "../platform/types.ts";
import { buildContainerConfig, buildSandboxConfig } from "./container_config.ts";
import type { VolumeSource } from "./volume_source.ts";
import { containerHash } from "./container_hash.ts";
import type { ImagePuller } from "./image_puller.ts";
import * as L from "./labels.ts";
import type { ObservedContainer, ObservedPod } from "./observed.ts";
import { ensurePauseImage } from "./pause_image.ts";
import type { KillAction, PodActions, StartAction } from "./plan.ts";
import {
  type ApiDataSources,
  hasApiDataVolumes,
  preparePodVolumes,
  removePodVolumes,
  setUpApiDataVolumes,
} from "./volumes.ts";
import { resolveSubPaths, SubPathError } from "./subpath.ts";
import type { PodHost } from "./pod_host.ts";
import {
  ContainerConfigError,
  generateRunContainerOptions,
  namesPodIP,
  writePodHostsFile,
} from "./run_container_options.ts";
import { type HandlerDeps, runHandler } from "../lifecycle/run_handler.ts";
import { unheardStopSignal } from "./unheard_stop_signal.ts";
import { type EventSink, podRef } from "../events/event_recorder.ts";
import { type ConfigObjects, NO_CONFIG_OBJECTS } from "../api/config_objects.ts";
import { podPullSecrets } from "../credentialprovider/pod_pull_secrets.ts";
import type { PodPullOptions } from "./image_puller.ts";

/** The kubelet never gives a container less than this to stop (seconds). */
export const MIN_GRACE_PERIOD_SECONDS = 2;

/** What the executor needs of the world. */
export interface RuntimeContext {
  docker: DockerClient;
  fs: Pick<
    Platform,
    | "stat"
    | "lstat"
    | "mkdir"
    | "chmod"
    | "writeFile"
    | "remove"
    | "readTextFile"
    | "readDir"
    | "readLink"
    | "symlink"
    | "rename"
    | "makeTempDir"
    | "readFileTail"
    | "statfs"
    | "mountTmpfs"
    | "unmount"
  >;
  log: Logger;
  puller: ImagePuller;
  node: string;
  rootDir: string;
  pauseImage: string;
  arch: string;
  /** What lifecycle hooks need (exec through the Engine, TCP connects). */
  hooks: HandlerDeps;
  /** The host facts pods are set up with (IPs, resolver configuration, ...). */
  host: PodHost;
  /** Where the kubelet's events (Pulled, Created, Started, Killing, BackOff, ...) go. */
  events?: EventSink;
  /** The ConfigMaps and Secrets the sources hold now (env, `envFrom`, volumes, pull secrets). @default none */
  objects?: ConfigObjects;
  /**
   * Runs one container create or start, of any pod: at most a few at once
   * (see {@linkcode containerStartLimit}). Only those Engine calls, each with
   * its deadline, take a turn: grace periods, hooks and pulls never do, so no
   * slow pod holds up another's start. @default no limit
   */
  startTurn?: Semaphore;
}

/**
 * How many container creates and starts the kubelet asks of the Engine at
 * once: four per core, at least four. The Engine does each start's heavy
 * part (a network namespace, the runtime's process, mounts) on the host's
 * cores; 100 pods started at once made single start calls wait over 60 s
 * (their deadline) on 2 cores, and made the whole burst slower than a few
 * calls at a time.
 */
export function containerStartLimit(cores: number): number {
  return Math.max(4, 4 * (Number.isInteger(cores) && cores > 0 ? cores : 1));
}

/** Runs `call` in a start turn, when the context has turns. */
function inTurn<T>(ctx: RuntimeContext, call: () => Promise<T>): Promise<T> {
  return ctx.startTurn ? ctx.startTurn.run(call) : call();
}

/** A container's waiting reason and message, as status shows it. */
export interface Waiting {
  reason: string;
  message: string;
}

/** What one sync learned that the runtime does not keep: why containers wait. */
export interface SyncResult {
  waiting: Record<string, Waiting>;
  /** Containers this sync started. */
  started: number;
  /** A pod-level problem (volumes could not be prepared, ...). */
  message?: string;
}

/**
 * Brings the API-data volumes of a running pod up to date (a changed
 * ConfigMap or Secret shows in its containers at once, without a restart).
 * A failure keeps what the volume held, as the kubelet does, and is
 * reported as a FailedMount event.
 */
async function updateApiDataVolumes(ctx: RuntimeContext, apiData: ApiDataSources, pod: Pod): Promise<void> {
  let errors: Error[];
  try {
    ({ errors } = await setUpApiDataVolumes(apiData, ctx.rootDir, pod));
  } catch (error) {
    errors = [error as Error];
  }
  for (const { message } of errors) {
    ctx.log.error(`pod ${pod.metadata.name}: ${message}`);
    ctx.events?.event(podRef(pod), "Warning", "FailedMount", message);
  }
}

/** `items` split into those `test` accepts and the rest, each in order. */
function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((i) => !test(i))];
}

/**
 * Applies `actions` for `pod` (null: the pod is gone) and reports what could
 * not be done. `previous` is the last version of the pod that ran (its
 * preStop hooks and grace period apply to its containers). A running pod's
 * configMap, secret, downwardAPI and projected volumes are brought up to date
 * from `ctx.objects` on every sync, as the kubelet's volume manager remounts them.
 */
export async function executePlan(
  ctx: RuntimeContext,
  pod: Pod | null,
  observed: ObservedPod | undefined,
  actions: PodActions,
  previous?: Pod,
): Promise<SyncResult> {
  const result: SyncResult = { waiting: { ...actions.backingOff }, started: 0 };
  if (pod) {
    for (const [name, w] of Object.entries(actions.backingOff)) {
      if (w.reason !== "CrashLoopBackOff") continue;
      const init = pod.spec.initContainers?.some((c) => c.name === name) ?? false;
      ctx.events?.event(
        podRef(pod, { name, init }),
        "Warning",
        "BackOff",
        `Back-off restarting failed container ${name} in pod ${podFullNameOf(pod)}`,
      );
    }
  }
  const all = [...(observed?.containers ?? []), ...(observed?.sandboxes ?? [])];
  await killContainers(ctx, [pod, previous], all, actions.containersToKill);
  // Infra containers after the containers that joined them: Podman refuses to remove a container
  // others still depend on (Docker does not mind).
  const sandboxIds = new Set(observed?.sandboxes.map((s) => s.id));
  const [sandboxes, containers] = partition(actions.containersToRemove, (id) => sandboxIds.has(id));
  await Promise.all(containers.map((id) => ctx.docker.removeContainer(id)));
  await Promise.all(sandboxes.map((id) => ctx.docker.removeContainer(id)));
  if (actions.cleanupVolumes) {
    for (const uid of new Set(all.map((c) => c.podUid))) {
      await removePodVolumes(ctx.fs, ctx.docker, ctx.rootDir, ctx.node, uid);
    }
  }
  const objects: ConfigObjects = ctx.objects ?? NO_CONFIG_OBJECTS;
  const apiData: ApiDataSources = { fs: ctx.fs, objects, node: () => ctx.host.allocatable() };
  if (!pod || (!actions.createSandbox && actions.containersToStart.length === 0)) {
    if (pod && !actions.createSandbox && hasApiDataVolumes(pod)) {
      await updateApiDataVolumes(ctx, apiData, pod);
    }
    return result;
  }
  const podName = pod.metadata.name!;

  // Image checks (and pulls) of every container to start run at once, beside the infra container.
  const pull = pullOptions(ctx, pod, actions.containersToStart.length > 0);
  const images = new Map(actions.containersToStart.map((start) => {
    const pending = ctx.puller.ensureImage(
      findSpec(pod, start),
      podName,
      containerEvents(ctx, pod, start),
      pull,
    )
      .catch((error) => ({ error }));
    return [start.name, pending] as const;
  }));

  let volumes: Record<string, VolumeSource>;
  try {
    volumes = await preparePodVolumes(ctx.fs, ctx.docker, ctx.rootDir, ctx.node, pod, apiData);
  } catch (error) {
    result.message = (error as Error).message;
    ctx.log.error(`pod ${podName}: ${result.message}`);
    ctx.events?.event(podRef(pod), "Warning", "FailedMount", result.message);
    for (const s of actions.containersToStart) {
      result.waiting[s.name] = { reason: "ContainerCreating", message: result.message };
    }
    await Promise.all(images.values());
    return result;
  }

  let sandboxId = actions.sandboxId;
  let sandboxStart: Promise<unknown> | undefined;
  if (actions.createSandbox) {
    if (actions.attempt > 0) {
      ctx.events?.event(
        podRef(pod),
        "Normal",
        "SandboxChanged",
        "Pod sandbox changed, it will be killed and re-created.",
      );
    }
    try {
      // The infra image was made present when the Engine was first reached: it is made again only when
      // it has gone since (the create's 404), so a pod start costs no image inspect.
      sandboxId = await createSandbox(ctx, pod, actions.attempt).catch(async (error) => {
        if (!(error instanceof DockerError && error.notFound)) throw error;
        await ensurePauseImage(ctx.docker, ctx.pauseImage, ctx.arch, ctx.log);
        return await createSandbox(ctx, pod, actions.attempt);
      });
    } catch (error) {
      await Promise.all(images.values());
      throw error;
    }
    sandboxStart = startSandbox(ctx, pod, sandboxId, actions.attempt);
  }
  // The containers are created while the infra container starts (all but those whose environment
  // names the pod's IP, which exists only then); the hosts file gets the IP once it is known.
  const ipLater = sandboxStart !== undefined && !pod.spec.hostNetwork;
  const created = await Promise.all(
    actions.containersToStart.map(async (start) => {
      const image = await images.get(start.name)!;
      if ("error" in image) throw image.error;
      if (image.failure) return image.failure;
      const spec = findSpec(pod, start);
      const waitForIP = ipLater && namesPodIP(spec);
      if (waitForIP && await sandboxStart !== undefined) {
        return { reason: "CreateContainerError", message: "the pod's infra container did not start" };
      }
      const digest = actions.configDigests?.[start.name];
      return await createContainer(
        ctx,
        pod,
        start,
        sandboxId!,
        volumes,
        image.image,
        ipLater && !waitForIP,
        digest,
      );
    }),
  );
  if (sandboxStart) {
    const failed = await sandboxStart;
    if (failed !== undefined) {
      // Nothing made for a pod whose network never came up is kept: the next sync starts over.
      await Promise.all(
        created.filter((c) => typeof c === "string").map((id) => ctx.docker.removeContainer(id)),
      );
      throw failed;
    }
    if (ipLater) await writePodHostsFile(ctx, pod, sandboxId!);
  }
  // Then they are started one by one in spec order, as the kubelet starts them: a sidecar or a
  // container with a postStart hook is up before the next one starts.
  for (const [i, start] of actions.containersToStart.entries()) {
    const made = created[i];
    const waiting = typeof made === "string" ? await startContainer(ctx, pod, start, made, sandboxId!) : made;
    if (waiting) {
      result.waiting[start.name] = waiting;
      if (start.kind === "init") {
        // Init containers run in order: nothing after a failed one may start, nor stay created.
        const unstarted = created.slice(i + 1).filter((c): c is string => typeof c === "string");
        await Promise.all(unstarted.map((id) => ctx.docker.removeContainer(id)));
        break;
      }
    } else {
      result.started++;
    }
  }
  return result;
}

/** The spec a running container was made from: the pod version whose UID it carries. */
function specOf(pods: (Pod | null | undefined)[], c: ObservedContainer): { pod?: Pod; spec?: Container } {
  const pod = pods.find((p) => p?.metadata.uid === c.podUid) ?? undefined;
  const list = c.kind === "init" ? pod?.spec.initContainers : pod?.spec.containers;
  return { pod, spec: list?.find((s) => s.name === c.name) };
}

/**
 * Stops one container as the kubelet does: its preStop hook first, then the
 * stop signal, then SIGKILL once the rest of the grace period has passed.
 */
export async function killContainer(
  ctx: RuntimeContext,
  pods: (Pod | null | undefined)[],
  c: ObservedContainer,
  reason: string,
  podIP?: string,
): Promise<void> {
  const { pod, spec } = specOf(pods, c);
  const grace = pod?.spec.terminationGracePeriodSeconds ?? c.gracePeriodSeconds;
  ctx.log.info(`killing container ${c.name} of pod ${c.podName} (${reason})`, {
    id: c.id.slice(0, 12),
    grace,
  });
  const started = Date.now();
  if (c.kind !== "sandbox") {
    const ref = pod ? podRef(pod, { name: c.name, init: c.kind === "init" }) : {
      kind: "Pod",
      namespace: c.podNamespace,
      name: c.podName,
      uid: c.podUid,
      apiVersion: "v1",
      fieldPath: `spec.${c.kind === "init" ? "initContainers" : "containers"}{${c.name}}`,
    };
    ctx.events?.event(ref, "Normal", "Killing", `Stopping container ${c.name}`);
  }
  const preStop = spec?.lifecycle?.preStop;
  if (preStop) {
    const target = { containerId: c.id, container: spec!, podIP };
    const { ok, output } = await runHandler(preStop, target, ctx.hooks, grace * 1000);
    if (!ok) ctx.log.warn(`preStop hook of container ${c.name} failed`, { output: output.trim() });
  }
  const left = grace - (Date.now() - started) / 1000;
  await stopContainer(ctx, c, Math.max(left, MIN_GRACE_PERIOD_SECONDS));
}

/**
 * Stops a container with its stop signal, then SIGKILL after `graceSeconds`;
 * at once when the signal cannot reach its PID 1 (the wait would be pure
 * waiting: the kernel drops the signal).
 *
 * The signal is sent either way, and the process read again after it: only
 * when it still could not have heard it (no handler came in between) is it
 * killed at once. Otherwise it gets its grace period without a second signal.
 */
async function stopContainer(
  ctx: RuntimeContext,
  c: { id: string; name: string; podName?: string },
  graceSeconds: number,
): Promise<void> {
  const unheard = graceSeconds > 0 ? await unheardStopSignal(ctx, c.id) : undefined;
  if (!unheard) return await ctx.docker.stopContainer(c.id, graceSeconds);
  const sent = Date.now();
  await ctx.docker.killContainer(c.id, unheard.signal);
  const still = await unheardStopSignal(ctx, c.id);
  if (!still) {
    const left = graceSeconds * 1000 - (Date.now() - sent);
    if (!(await ctx.docker.waitContainer(c.id, left))) await ctx.docker.killContainer(c.id, "SIGKILL");
    return await ctx.docker.stopContainer(c.id, 0);
  }
  const what = still.why === "ignored"
    ? `ignores ${still.signal}`
    : `does not handle ${still.signal} (the init of a PID namespace never gets it then)`;
  const of = c.podName ? ` of pod ${c.podName}` : "";
  ctx.log.info(`container ${c.name}${of}: its PID 1 ${what}; killing it without waiting`, {
    id: c.id.slice(0, 12),
  });
  await ctx.docker.killContainer(c.id, "SIGKILL");
  await ctx.docker.stopContainer(c.id, 0);
}

async function killContainers(
  ctx: RuntimeContext,
  pods: (Pod | null | undefined)[],
  all: ObservedContainer[],
  kills: KillAction[],
): Promise<void> {
  const byId = new Map(all.map((c) => [c.id, c]));
  // Removals run alongside what follows; each keeps its error for the end
  // (a promise rejecting with no handler yet would end the process).
  const removals: Promise<{ error: unknown } | undefined>[] = [];
  const kill = async (k: KillAction) => {
    const c = byId.get(k.id);
    if (c?.state === "running") await killContainer(ctx, pods, c, k.reason, byId.get(c.sandboxId ?? "")?.ip);
    if (k.remove) {
      removals.push(ctx.docker.removeContainer(k.id).then(() => undefined, (error) => ({ error })));
    }
  };
  // Containers first, in parallel as the kubelet kills them; infra containers
  // once those have stopped, without waiting for their removal.
  const isSandbox = (k: KillAction) => byId.get(k.id)?.kind === "sandbox";
  let failure: { error: unknown } | undefined;
  try {
    await Promise.all(kills.filter((k) => !isSandbox(k)).map(kill));
    await Promise.all(kills.filter(isSandbox).map(kill));
  } catch (error) {
    failure = { error };
  }
  failure ??= (await Promise.all(removals)).find((r) => r !== undefined);
  if (failure) throw failure.error;
}

/** Creates a container, removing a leftover of the same name once if the Engine reports a conflict. */
async function createNamed(
  ctx: RuntimeContext,
  name: string,
  body: Parameters<DockerClient["createContainer"]>[1],
) {
  try {
    return await inTurn(ctx, () => ctx.docker.createContainer(name, body));
  } catch (error) {
    if (!(error instanceof DockerError && error.status === 409)) throw error;
    await ctx.docker.removeContainer(name);
    return await inTurn(ctx, () => ctx.docker.createContainer(name, body));
  }
}

/** Creates the pod's infra container (not yet started); resolves its ID. */
async function createSandbox(ctx: RuntimeContext, pod: Pod, attempt: number): Promise<string> {
  const ref = { name: pod.metadata.name!, namespace: pod.metadata.namespace!, uid: pod.metadata.uid! };
  const labels = {
    ...L.podLabels(ctx.node, ref, pod.spec.terminationGracePeriodSeconds ?? 30),
    [L.LABEL_TYPE]: "podsandbox",
    [L.LABEL_CONTAINER_NAME]: L.SANDBOX_CONTAINER_NAME,
    [L.LABEL_ATTEMPT]: String(attempt),
  };
  const name = L.dockerContainerName(L.SANDBOX_CONTAINER_NAME, ref, attempt);
  return await createNamed(ctx, name, buildSandboxConfig(pod, ctx.pauseImage, labels));
}

/** Starts the infra container; resolves the error instead of rejecting, so it can run unattended. */
async function startSandbox(ctx: RuntimeContext, pod: Pod, id: string, attempt: number): Promise<unknown> {
  try {
    await inTurn(ctx, () => ctx.docker.startContainer(id));
    ctx.log.info(`started infra container for pod ${pod.metadata.name}`, { id: id.slice(0, 12), attempt });
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Records events about one container of `pod` (Pulled, Created, Started, Failed, ...), when events are kept. */
function containerEvents(ctx: RuntimeContext, pod: Pod, start: StartAction) {
  const ref = podRef(pod, { name: start.name, init: start.kind === "init" });
  return ctx.events &&
    ((type: "Normal" | "Warning", reason: string, message: string) =>
      ctx.events!.event(ref, type, reason, message));
}

function findSpec(pod: Pod, start: StartAction): Container {
  const list = start.kind === "init" ? pod.spec.initContainers ?? [] : pod.spec.containers;
  return list.find((c) => c.name === start.name)!;
}

/** Creates one container; resolves its ID, or why it waits when it could not be created. */
async function createContainer(
  ctx: RuntimeContext,
  pod: Pod,
  start: StartAction,
  sandboxId: string,
  volumes: Record<string, VolumeSource>,
  image: ImageInspect | undefined,
  ipLater = false,
  configDigest?: string,
): Promise<string | Waiting> {
  const spec = findSpec(pod, start);
  const podName = pod.metadata.name!;
  const record = containerEvents(ctx, pod, start);
  const owner = { name: podName, namespace: pod.metadata.namespace!, uid: pod.metadata.uid! };
  const labels = {
    ...L.podLabels(ctx.node, owner, pod.spec.terminationGracePeriodSeconds ?? 30),
    [L.LABEL_TYPE]: "container",
    [L.LABEL_CONTAINER_NAME]: spec.name,
    [L.LABEL_CONTAINER_KIND]: start.kind,
    [L.LABEL_SANDBOX_ID]: sandboxId,
    [L.LABEL_CONTAINER_HASH]: containerHash(spec, configDigest),
    [L.LABEL_RESTART_COUNT]: String(start.restartCount),
    [L.LABEL_BACKOFF]: String(start.backoffSeconds),
  };
  try {
    const run = await generateRunContainerOptions(ctx, pod, spec, sandboxId, image ?? null, ipLater);
    // Checked last, right before the create, to leave a workload the least time to swap a link in.
    const subPaths = await resolveSubPaths(ctx.fs, spec, volumes);
    const body = buildContainerConfig(pod, spec, { sandboxId, labels, volumes, subPaths, env: run.env, run });
    const id = await createNamed(ctx, L.dockerContainerName(spec.name, owner, start.restartCount), body);
    record?.("Normal", "Created", `Created container ${spec.name}`);
    return id;
  } catch (error) {
    const message = (error as Error).message;
    ctx.log.error(`pod ${podName}: cannot create container ${spec.name}`, { error: message });
    record?.("Warning", "Failed", `Error: ${message}`);
    const config = error instanceof ContainerConfigError || error instanceof SubPathError;
    return { reason: config ? "CreateContainerConfigError" : "CreateContainerError", message };
  }
}

/** Starts a created container and runs its postStart hook; resolves why it waits when it could not. */
async function startContainer(
  ctx: RuntimeContext,
  pod: Pod,
  start: StartAction,
  id: string,
  sandboxId: string,
): Promise<Waiting | undefined> {
  const spec = findSpec(pod, start);
  const podName = pod.metadata.name!;
  const record = containerEvents(ctx, pod, start);
  try {
    await inTurn(ctx, () => ctx.docker.startContainer(id));
  } catch (error) {
    const message = (error as Error).message;
    ctx.log.error(`pod ${podName}: cannot start container ${spec.name}`, { error: message });
    record?.("Warning", "Failed", `Error: ${message}`);
    return { reason: "RunContainerError", message };
  }
  record?.("Normal", "Started", `Started container ${spec.name}`);
  ctx.log.info(`started container ${spec.name} of pod ${podName}`, {
    id: id.slice(0, 12),
    restartCount: start.restartCount,
  });
  const postStart = spec.lifecycle?.postStart;
  if (postStart) {
    const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
    const podIP = (await ctx.docker.inspectContainer(sandboxId))?.NetworkSettings.IPAddress || undefined;
    const { ok, output } = await runHandler(
      postStart,
      { containerId: id, container: spec, podIP },
      ctx.hooks,
      grace * 1000,
    );
    if (!ok) {
      const message = `PostStartHook failed: ${output.trim()}`;
      record?.("Warning", "FailedPostStartHook", message);
      ctx.log.error(`pod ${podName}: postStart hook of container ${spec.name} failed; killing it`, {
        output: output.trim(),
      });
      await stopContainer(ctx, { id, name: spec.name, podName }, Math.max(grace, MIN_GRACE_PERIOD_SECONDS));
      return { reason: "PostStartHookError", message };
    }
  }
  return undefined;
}

/**
 * The pod's pull back-off key and `imagePullSecrets` credentials; a named
 * Secret the sources lack gets the kubelet's warning event (when `warn`).
 */
function pullOptions(ctx: RuntimeContext, pod: Pod, warn: boolean): PodPullOptions {
  const { credentials, missing } = podPullSecrets(pod, ctx.objects ?? NO_CONFIG_OBJECTS);
  if (warn && missing.length > 0) {
    ctx.events?.event(
      podRef(pod),
      "Warning",
      "FailedToRetrieveImagePullSecret",
      `Unable to retrieve some image pull secrets (${
        missing.join(", ")
      }); attempting to pull the image may not succeed.`,
    );
  }
  return { uid: pod.metadata.uid, credentials };
}

/** `name_namespace`, as the kubelet names a pod in its messages. */
function podFullNameOf(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}`;
}
