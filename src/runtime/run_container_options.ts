/**
 * Everything a container needs besides its spec before it is created, as the
 * kubelet's `GenerateRunContainerOptions` and `generateContainerConfig`
 * gather it: its environment with pod fields and resources resolved, the
 * kubelet-managed `/etc/hosts` and `/etc/resolv.conf`, the termination
 * message file, its user, security settings and cgroup limits.
 *
 * @module
 */
import type { Container, Pod } from "../api/types.ts";
import type { DockerClient } from "../docker/client.ts";
import type { ImageInspect } from "../docker/types.ts";
import type { EngineMount } from "../docker/types.ts";
import type { Platform } from "../platform/types.ts";
import { bindMount } from "./bind_mount.ts";
import { objectEnv } from "./object_env.ts";
import { hostNetworkHostsFile, managedHostsFile } from "./etc_hosts.ts";
import { engineHostConfig } from "./engine_host_config.ts";
import { engineRefusal } from "./engine_limits.ts";
import { envSourceValue, type PodRuntimeFacts } from "../fieldpath/field_ref.ts";
import type { PodHost } from "./pod_host.ts";
import { formatResolvConf, podDnsConfig } from "./resolv_conf.ts";
import { linuxResources } from "./resources.ts";
import { effectiveSecurityContext, securityConfig, verifyRunAsNonRoot } from "./security_context.ts";
import { createTerminationMessageFile, terminationMessageLabels } from "./termination_message.ts";
import { podDir } from "./volumes.ts";
import type { ConfigObjects } from "../api/config_objects.ts";
import type { EventSink } from "../events/event_recorder.ts";

/**
 * The container cannot be configured as its spec asks (runAsNonRoot on a
 * root image, a missing seccomp profile, ...): its waiting reason is
 * `CreateContainerConfigError`.
 */
export class ContainerConfigError extends Error {
  override name = "ContainerConfigError";
}

/** What {@linkcode generateRunContainerOptions} gathers, for `buildContainerConfig`. */
export interface RunContainerOptions {
  /** `NAME=value`, in the order of the spec. */
  env: string[];
  /** Bind mounts the kubelet adds: hosts file, resolver configuration, termination message. */
  mounts: EngineMount[];
  labels: Record<string, string>;
  user?: string;
  /** Security and resource settings of the Engine's HostConfig. */
  hostConfig: Record<string, unknown>;
}

/** What generating the options needs of the runtime. */
export interface RunContainerContext {
  docker: DockerClient;
  fs: Pick<Platform, "stat" | "mkdir" | "chmod" | "writeFile" | "readTextFile">;
  rootDir: string;
  host: PodHost;
  /** The ConfigMaps and Secrets env and `envFrom` read. @default none */
  objects?: ConfigObjects;
  /** Where warnings about skipped `envFrom` keys go. */
  events?: EventSink;
}

/** The pod's IPs: the host's under hostNetwork, else its infra container's. */
async function podIPs(ctx: RunContainerContext, pod: Pod, sandboxId: string): Promise<string[]> {
  if (pod.spec.hostNetwork) return await ctx.host.hostIPs();
  const sandbox = await ctx.docker.inspectContainer(sandboxId);
  const nets = Object.values(sandbox?.NetworkSettings?.Networks ?? {});
  const ip = sandbox?.NetworkSettings?.IPAddress || nets.find((n) => n.IPAddress)?.IPAddress;
  const ip6 = sandbox?.NetworkSettings?.GlobalIPv6Address ||
    nets.find((n) => n.GlobalIPv6Address)?.GlobalIPv6Address;
  return [ip, ip6].filter((x): x is string => !!x);
}

/** Whether a container's environment names the pod's IP (it can be made only once the pod has one). */
export function namesPodIP(container: Container): boolean {
  return (container.env ?? []).some((e) =>
    e.valueFrom?.fieldRef?.fieldPath === "status.podIP" ||
    e.valueFrom?.fieldRef?.fieldPath === "status.podIPs"
  );
}

/**
 * Writes the pod's kubelet-managed hosts file with the IPs its started infra
 * container has (for containers made while it started; see `ipLater`).
 */
export async function writePodHostsFile(
  ctx: RunContainerContext,
  pod: Pod,
  sandboxId: string,
): Promise<void> {
  const ips = await podIPs(ctx, pod, sandboxId);
  if (ips.length === 0) return;
  const dir = podDir(ctx.rootDir, pod.metadata.uid!);
  // No container may have been made (a missing ConfigMap, say), so nothing made the directory yet.
  await ctx.fs.mkdir(dir, { mode: 0o750 });
  await writeIfChanged(ctx.fs, `${dir}/etc-hosts`, managedHostsFile(pod, ips, ctx.host.clusterDomain));
}

/** Writes `text` to `path` unless the file holds it already, so running containers never see it half-written. */
async function writeIfChanged(fs: RunContainerContext["fs"], path: string, text: string): Promise<void> {
  const current = await fs.readTextFile(path).catch(() => undefined);
  if (current !== text) await fs.writeFile(path, text, { mode: 0o644 });
}

/**
 * Gathers the run options of `container` of `pod`, whose infra container is
 * `sandboxId` and running.
 *
 * @throws {ContainerConfigError} when the container must not or cannot be configured
 */
export async function generateRunContainerOptions(
  ctx: RunContainerContext,
  pod: Pod,
  container: Container,
  sandboxId: string,
  /** The image's inspect when the caller has it already. */
  inspected?: ImageInspect | null,
  /**
   * The infra container is still starting, so the pod has no IP yet: the
   * hosts file is mounted and gets its content from {@linkcode writePodHostsFile}
   * once it does. Only for containers whose environment does not name the pod's IP.
   */
  ipLater = false,
): Promise<RunContainerOptions> {
  const image = inspected === undefined ? await ctx.docker.inspectImage(container.image) : inspected;
  const imageUser = image?.Config?.User ?? undefined;
  const refusal = verifyRunAsNonRoot(pod, container, imageUser) ??
    engineRefusal(ctx.docker.engine.kind, pod, container);
  if (refusal) throw new ContainerConfigError(refusal);

  const [ips, hostIPs, allocatable] = await Promise.all([
    ipLater ? [] : podIPs(ctx, pod, sandboxId),
    ctx.host.hostIPs(),
    ctx.host.allocatable(),
  ]);
  const facts: PodRuntimeFacts = {
    podIPs: ips,
    hostIPs,
    nodeCpu: allocatable.cpu,
    nodeMemory: allocatable.memory,
  };
  let env: string[];
  try {
    env = objectEnv(ctx, pod, container, (e) => envSourceValue(pod, container, e, facts));
  } catch (error) {
    throw new ContainerConfigError((error as Error).message);
  }

  const dir = podDir(ctx.rootDir, pod.metadata.uid!);
  await ctx.fs.mkdir(dir, { mode: 0o750 });
  const mounted = new Set((container.volumeMounts ?? []).map((m) => m.mountPath));
  const mounts: EngineMount[] = [];
  // The kubelet mounts its hosts file only when the pod has an IP, and never over a mount of the container's own.
  if ((ips.length > 0 || ipLater) && !mounted.has("/etc/hosts")) {
    const hosts = pod.spec.hostNetwork
      ? hostNetworkHostsFile(pod, await ctx.host.hostsFile())
      : managedHostsFile(pod, ips, ctx.host.clusterDomain);
    // With the IP still to come, the file must exist for the mount; its content follows.
    if (!ipLater || !(await ctx.fs.stat(`${dir}/etc-hosts`))) {
      await writeIfChanged(ctx.fs, `${dir}/etc-hosts`, hosts);
    }
    mounts.push(bindMount(`${dir}/etc-hosts`, "/etc/hosts"));
  }
  if (!mounted.has("/etc/resolv.conf")) {
    const resolv = formatResolvConf(podDnsConfig(pod, await ctx.host.resolvConf()));
    await writeIfChanged(ctx.fs, `${dir}/resolv.conf`, resolv);
    mounts.push(bindMount(`${dir}/resolv.conf`, "/etc/resolv.conf"));
  }
  if (container.terminationMessagePath) {
    const file = await createTerminationMessageFile(ctx.fs, ctx.rootDir, pod.metadata.uid!, container);
    mounts.push(bindMount(file, container.terminationMessagePath));
  }

  const seccomp = effectiveSecurityContext(pod, container).seccompProfile;
  let localProfile: string | undefined;
  if (seccomp?.type === "Localhost" && seccomp.localhostProfile) {
    try {
      localProfile = JSON.stringify(JSON.parse(await ctx.host.seccompProfile(seccomp.localhostProfile)));
    } catch (error) {
      throw new ContainerConfigError(
        `seccomp profile ${seccomp.localhostProfile}: ${(error as Error).message}`,
      );
    }
  }
  const { User, ...security } = securityConfig(pod, container, imageUser, localProfile);
  return {
    env,
    mounts,
    labels: terminationMessageLabels(container),
    user: User,
    hostConfig: {
      ...security,
      ...linuxResources(container),
      ...engineHostConfig(ctx.docker.engine.kind, pod, sandboxId, User, security.GroupAdd),
    },
  };
}
