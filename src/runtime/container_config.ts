/**
 * Pure translation of a pod's spec into Docker Engine create bodies: one for
 * the infra container, one per container joined to it.
 *
 * @module
 */
import type { Container, Pod } from "../api/types.ts";
import type { ContainerCreateBody, EngineMount } from "../docker/types.ts";
import { expandVars } from "./container_env.ts";
import type { RunContainerOptions } from "./run_container_options.ts";
import { seccompOption } from "./security_context.ts";
import { bindMount } from "./bind_mount.ts";
import type { VolumeSource } from "./volume_source.ts";

/** The host name the infra container gets: `spec.hostname`, else the pod name, cut to 63 characters. */
export function podHostname(pod: Pod): string {
  const name = pod.spec.hostname ?? pod.metadata.name ?? "pod";
  return name.slice(0, 63).replace(/[.-]+$/, "");
}

/** `port/protocol` as the Engine writes ports. */
function portKey(port: number, protocol = "TCP"): string {
  return `${port}/${protocol.toLowerCase()}`;
}

/** Create body of the infra container: it holds the pod's network (and IPC) namespace and published ports. */
export function buildSandboxConfig(
  pod: Pod,
  image: string,
  labels: Record<string, string>,
): ContainerCreateBody {
  const hostNetwork = pod.spec.hostNetwork === true;
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const p of c.ports ?? []) {
      // With hostNetwork the ports are the host's already; the kubelet defaults hostPort to containerPort.
      if (hostNetwork || !p.hostPort) continue;
      const key = portKey(p.containerPort, p.protocol);
      exposed[key] = {};
      (bindings[key] ??= []).push({ HostIp: p.hostIP ?? "", HostPort: String(p.hostPort) });
    }
  }
  return {
    Image: image,
    Hostname: hostNetwork ? undefined : podHostname(pod),
    Domainname: !hostNetwork && pod.spec.subdomain
      ? `${pod.spec.subdomain}.${pod.metadata.namespace}.svc.cluster.local`
      : undefined,
    Labels: labels,
    ExposedPorts: exposed,
    HostConfig: {
      NetworkMode: hostNetwork ? "host" : "bridge",
      PortBindings: bindings,
      IpcMode: pod.spec.hostIPC ? "host" : "shareable",
      PidMode: pod.spec.hostPID ? "host" : "",
      RestartPolicy: { Name: "no" },
      ExtraHosts: (pod.spec.hostAliases ?? []).flatMap((a) => (a.hostnames ?? []).map((h) => `${h}:${a.ip}`)),
      ...sandboxHostOptions(pod),
    },
  };
}

/**
 * What the pod's spec adds to its infra container: the host's UTS namespace
 * with its network, the pod's sysctls (they belong to the namespaces the
 * infra container holds) and its seccomp profile, as the dockershim did.
 */
function sandboxHostOptions(pod: Pod): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (pod.spec.hostNetwork) options.UTSMode = "host";
  const sysctls = pod.spec.securityContext?.sysctls ?? [];
  if (sysctls.length) {
    options.Sysctls = Object.fromEntries(sysctls.map((s) => [s.name.replaceAll("/", "."), s.value]));
  }
  const seccomp = seccompOption(pod.spec.securityContext?.seccompProfile);
  if (seccomp) options.SecurityOpt = [seccomp];
  return options;
}

/**
 * The Engine mounts of a container's volumeMounts.
 *
 * @param subPaths host paths of the mounts with a subPath, by the mount's
 *   index in `volumeMounts`, as `resolveSubPath` checked them; a bind
 *   mount with a subPath and no checked path is refused, never joined here.
 * @throws {Error} naming the mount when its volume does not exist or its subPath was not checked
 */
export function buildMounts(
  container: Container,
  volumes: Record<string, VolumeSource>,
  subPaths: Record<number, string> = {},
): EngineMount[] {
  const mounts: EngineMount[] = [];
  for (const [i, m] of (container.volumeMounts ?? []).entries()) {
    const source = volumes[m.name];
    if (!source) throw new Error(`volumeMount ${m.name}: no such volume`);
    if (source.kind === "tmpfs") {
      mounts.push({
        Type: "volume",
        Source: source.volumeName,
        Target: m.mountPath,
        ReadOnly: m.readOnly === true,
        ...(m.subPath ? { VolumeOptions: { Subpath: m.subPath } } : {}),
      });
      continue;
    }
    let path = source.path;
    if (m.subPath) {
      if (subPaths[i] === undefined) {
        throw new Error(`volumeMount ${m.name}: subPath ${JSON.stringify(m.subPath)} was not checked`);
      }
      path = subPaths[i];
    }
    mounts.push(bindMount(path, m.mountPath, m.readOnly === true || source.readOnly === true));
  }
  return mounts;
}

/** Create body of one container, joined to the infra container's namespaces. */
export function buildContainerConfig(
  pod: Pod,
  container: Container,
  opts: {
    sandboxId: string;
    labels: Record<string, string>;
    volumes: Record<string, VolumeSource>;
    /** Checked host paths of subPath mounts, by mount index (see {@linkcode buildMounts}). */
    subPaths?: Record<number, string>;
    env: string[];
    /** What the kubelet adds: its mounts, user, security and resource settings. */
    run?: RunContainerOptions;
  },
): ContainerCreateBody {
  const joined = `container:${opts.sandboxId}`;
  const mounts = buildMounts(container, opts.volumes, opts.subPaths);
  const pidMode = pod.spec.hostPID ? "host" : pod.spec.shareProcessNamespace ? joined : "";
  // $(VAR) in command and args expands from the container's environment.
  const vars = new Map(opts.env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
  const expand = (list?: string[]) => list?.length ? list.map((a) => expandVars(a, vars)) : undefined;
  return {
    Image: container.image,
    // Kubernetes' command replaces the image's ENTRYPOINT (and so drops its CMD); args replace CMD.
    Entrypoint: expand(container.command),
    Cmd: expand(container.args),
    Env: opts.env,
    WorkingDir: container.workingDir,
    User: opts.run?.user,
    Labels: { ...opts.labels, ...opts.run?.labels },
    Tty: container.tty === true,
    OpenStdin: container.stdin === true,
    HostConfig: {
      NetworkMode: joined,
      IpcMode: pod.spec.hostIPC ? "host" : joined,
      PidMode: pidMode,
      // The container shares the host's host name with its network (dockershim's modifyHostOptionsForContainer).
      ...(pod.spec.hostNetwork ? { UTSMode: "host" } : {}),
      Mounts: [...mounts, ...(opts.run?.mounts ?? [])],
      RestartPolicy: { Name: "no" },
      ...opts.run?.hostConfig,
    },
  };
}
