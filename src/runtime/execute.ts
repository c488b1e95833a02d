/**
 * The executor: applies a {@link PodActions} plan to the Engine in the
 * kubelet's fixed order (SyncPod in kuberuntime_manager.go): kill, remove
 * garbage, create the infra container, start init containers, start
 * containers.
 *
 * @module
 */
import type { Container, Pod } from "../api/types.ts";
import type { DockerClient } from "../docker/client.ts";
import { DockerError } from "../docker/docker_error.ts";
import type { Logger } from "../log.ts";
import type { Platform } from "../platform/types.ts";
import { buildContainerConfig, buildSandboxConfig, type VolumeSource } from "./container_config.ts";
import { containerHash } from "./container_hash.ts";
import type { ImagePuller } from "./image_puller.ts";
import * as L from "./labels.ts";
import type { ObservedContainer, ObservedPod } from "./observed.ts";
import { ensurePauseImage } from "./pause_image.ts";
import type { KillAction, PodActions, StartAction } from "./plan.ts";
import { preparePodVolumes, removePodVolumes } from "./volumes.ts";
import { resolveSubPaths, SubPathError } from "./subpath.ts";
import type { PodHost } from "./pod_host.ts";
import { ContainerConfigError, generateRunContainerOptions } from "./run_container_options.ts";
import { type HandlerDeps, runHandler } from "../prober/run_handler.ts";

/** The kubelet never gives a container less than this to stop (seconds). */
export const MIN_GRACE_PERIOD_SECONDS = 2;

/** What the executor needs of the world. */
export interface RuntimeContext {
  docker: DockerClient;
  fs: Pick<Platform, "stat" | "lstat" | "mkdir" | "chmod" | "writeFile" | "remove" | "readTextFile">;
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
 * Applies `actions` for `pod` (null: the pod is gone) and reports what could
 * not be done. `previous` is the last version of the pod that ran (its
 * preStop hooks and grace period apply to its containers).
 */
export async function executePlan(
  ctx: RuntimeContext,
  pod: Pod | null,
  observed: ObservedPod | undefined,
  actions: PodActions,
  previous?: Pod,
): Promise<SyncResult> {
  const result: SyncResult = { waiting: { ...actions.backingOff }, started: 0 };
  const all = [...(observed?.containers ?? []), ...(observed?.sandboxes ?? [])];
  await killContainers(ctx, [pod, previous], all, actions.containersToKill);
  await Promise.all(actions.containersToRemove.map((id) => ctx.docker.removeContainer(id)));
  if (actions.cleanupVolumes) {
    for (const uid of new Set(all.map((c) => c.podUid))) {
      await removePodVolumes(ctx.fs, ctx.docker, ctx.rootDir, ctx.node, uid);
    }
  }
  if (!pod || (!actions.createSandbox && actions.containersToStart.length === 0)) return result;

  let volumes: Record<string, VolumeSource>;
  try {
    volumes = await preparePodVolumes(ctx.fs, ctx.docker, ctx.rootDir, ctx.node, pod);
  } catch (error) {
    result.message = (error as Error).message;
    ctx.log.error(`pod ${pod.metadata.name}: ${result.message}`);
    for (const s of actions.containersToStart) {
      result.waiting[s.name] = { reason: "ContainerCreating", message: result.message };
    }
    return result;
  }

  let sandboxId = actions.sandboxId;
  if (actions.createSandbox) {
    await ensurePauseImage(ctx.docker, ctx.pauseImage, ctx.arch, ctx.log);
    sandboxId = await createSandbox(ctx, pod, actions.attempt);
  }
  for (const start of actions.containersToStart) {
    const waiting = await startContainer(ctx, pod, start, sandboxId!, volumes);
    if (waiting) {
      result.waiting[start.name] = waiting;
      // Init containers run in order: nothing after a failed one may start.
      if (start.kind === "init") break;
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
  const preStop = spec?.lifecycle?.preStop;
  if (preStop) {
    const target = { containerId: c.id, container: spec!, podIP };
    const { ok, output } = await runHandler(preStop, target, ctx.hooks, grace * 1000);
    if (!ok) ctx.log.warn(`preStop hook of container ${c.name} failed`, { output: output.trim() });
  }
  const left = grace - (Date.now() - started) / 1000;
  await ctx.docker.stopContainer(c.id, Math.max(left, MIN_GRACE_PERIOD_SECONDS));
}

async function killContainers(
  ctx: RuntimeContext,
  pods: (Pod | null | undefined)[],
  all: ObservedContainer[],
  kills: KillAction[],
): Promise<void> {
  const byId = new Map(all.map((c) => [c.id, c]));
  const kill = async (k: KillAction) => {
    const c = byId.get(k.id);
    if (c?.state === "running") await killContainer(ctx, pods, c, k.reason, byId.get(c.sandboxId ?? "")?.ip);
    if (k.remove) await ctx.docker.removeContainer(k.id);
  };
  // Containers first, in parallel as the kubelet kills them; infra containers last.
  const isSandbox = (k: KillAction) => byId.get(k.id)?.kind === "sandbox";
  await Promise.all(kills.filter((k) => !isSandbox(k)).map(kill));
  await Promise.all(kills.filter(isSandbox).map(kill));
}

/** Creates a container, removing a leftover of the same name once if the Engine reports a conflict. */
async function createNamed(
  ctx: RuntimeContext,
  name: string,
  body: Parameters<DockerClient["createContainer"]>[1],
) {
  try {
    return await ctx.docker.createContainer(name, body);
  } catch (error) {
    if (!(error instanceof DockerError && error.status === 409)) throw error;
    await ctx.docker.removeContainer(name);
    return await ctx.docker.createContainer(name, body);
  }
}

async function createSandbox(ctx: RuntimeContext, pod: Pod, attempt: number): Promise<string> {
  const ref = { name: pod.metadata.name!, namespace: pod.metadata.namespace!, uid: pod.metadata.uid! };
  const labels = {
    ...L.podLabels(ctx.node, ref, pod.spec.terminationGracePeriodSeconds ?? 30),
    [L.LABEL_TYPE]: "podsandbox",
    [L.LABEL_CONTAINER_NAME]: L.SANDBOX_CONTAINER_NAME,
    [L.LABEL_ATTEMPT]: String(attempt),
  };
  const name = L.dockerContainerName(L.SANDBOX_CONTAINER_NAME, ref, attempt);
  const id = await createNamed(ctx, name, buildSandboxConfig(pod, ctx.pauseImage, labels));
  await ctx.docker.startContainer(id);
  ctx.log.info(`started infra container for pod ${ref.name}`, { id: id.slice(0, 12), attempt });
  return id;
}

function findSpec(pod: Pod, start: StartAction): Container {
  const list = start.kind === "init" ? pod.spec.initContainers ?? [] : pod.spec.containers;
  return list.find((c) => c.name === start.name)!;
}

/** Pulls, creates and starts one container; resolves why it waits when it could not. */
async function startContainer(
  ctx: RuntimeContext,
  pod: Pod,
  start: StartAction,
  sandboxId: string,
  volumes: Record<string, VolumeSource>,
): Promise<Waiting | undefined> {
  const spec = findSpec(pod, start);
  const podName = pod.metadata.name!;
  const failure = await ctx.puller.ensure(spec, podName);
  if (failure) return failure;
  const ref = { name: podName, namespace: pod.metadata.namespace!, uid: pod.metadata.uid! };
  const labels = {
    ...L.podLabels(ctx.node, ref, pod.spec.terminationGracePeriodSeconds ?? 30),
    [L.LABEL_TYPE]: "container",
    [L.LABEL_CONTAINER_NAME]: spec.name,
    [L.LABEL_CONTAINER_KIND]: start.kind,
    [L.LABEL_SANDBOX_ID]: sandboxId,
    [L.LABEL_CONTAINER_HASH]: containerHash(spec),
    [L.LABEL_RESTART_COUNT]: String(start.restartCount),
    [L.LABEL_BACKOFF]: String(start.backoffSeconds),
  };
  let id: string;
  try {
    const run = await generateRunContainerOptions(ctx, pod, spec, sandboxId);
    // Checked last, right before the create, to leave a workload the least time to swap a link in.
    const subPaths = await resolveSubPaths(ctx.fs, spec, volumes);
    const body = buildContainerConfig(pod, spec, { sandboxId, labels, volumes, subPaths, env: run.env, run });
    id = await createNamed(ctx, L.dockerContainerName(spec.name, ref, start.restartCount), body);
  } catch (error) {
    const message = (error as Error).message;
    ctx.log.error(`pod ${podName}: cannot create container ${spec.name}`, { error: message });
    const config = error instanceof ContainerConfigError || error instanceof SubPathError;
    return { reason: config ? "CreateContainerConfigError" : "CreateContainerError", message };
  }
  try {
    await ctx.docker.startContainer(id);
  } catch (error) {
    const message = (error as Error).message;
    ctx.log.error(`pod ${podName}: cannot start container ${spec.name}`, { error: message });
    return { reason: "RunContainerError", message };
  }
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
      ctx.log.error(`pod ${podName}: postStart hook of container ${spec.name} failed; killing it`, {
        output: output.trim(),
      });
      await ctx.docker.stopContainer(id, Math.max(grace, MIN_GRACE_PERIOD_SECONDS));
      return { reason: "PostStartHookError", message };
    }
  }
  return undefined;
}
