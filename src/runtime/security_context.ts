/**
 * A pod's and its containers' security contexts as Engine settings, as the
 * kubelet's kuberuntime and the dockershim built them: the effective
 * context (container fields over pod fields), the runAsNonRoot check, user
 * and groups, privileges, capabilities, seccomp and no-new-privileges.
 *
 * @module
 */
import type { Container, Pod, SeccompProfile, SecurityContext } from "../api/types.ts";

/** The Engine settings a security context gives a container. */
export interface SecurityConfig {
  /** `uid`, `uid:gid` or `name:gid`; undefined keeps the image's user. */
  User?: string;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  GroupAdd?: string[];
  SecurityOpt: string[];
}

/** The container's context with the pod's `runAsUser`, `runAsGroup`, `runAsNonRoot` and `seccompProfile` filled in. */
export function effectiveSecurityContext(pod: Pod, container: Container): SecurityContext {
  const podSc = pod.spec.securityContext ?? {};
  const sc = { ...container.securityContext };
  sc.runAsUser ??= podSc.runAsUser;
  sc.runAsGroup ??= podSc.runAsGroup;
  sc.runAsNonRoot ??= podSc.runAsNonRoot;
  sc.seccompProfile ??= podSc.seccompProfile;
  for (const key of Object.keys(sc) as (keyof SecurityContext)[]) if (sc[key] === undefined) delete sc[key];
  return sc;
}

/** The user an image runs as, from its `Config.User`: a UID, or a name; no user is root (UID 0). */
export function imageUser(user: string | undefined): { uid?: number; name?: string } {
  const part = (user ?? "").split(":")[0];
  if (part === "") return { uid: 0 };
  return /^\d+$/.test(part) ? { uid: Number(part) } : { name: part };
}

/** `name_namespace(uid)`, the kubelet's `format.Pod`. */
export function formatPod(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

/**
 * Why the container must not start under `runAsNonRoot`, in the kubelet's
 * words (verifyRunAsNonRoot), or undefined when it may.
 *
 * @param user the image's `Config.User`
 */
export function verifyRunAsNonRoot(
  pod: Pod,
  container: Container,
  user: string | undefined,
): string | undefined {
  const sc = effectiveSecurityContext(pod, container);
  if (sc.runAsNonRoot !== true) return undefined;
  const where = `(pod: "${formatPod(pod)}", container: ${container.name})`;
  if (sc.runAsUser !== undefined) {
    return sc.runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  }
  const { uid, name } = imageUser(user);
  if (uid === undefined) {
    return `container has runAsNonRoot and image has non-numeric user (${name}), cannot verify user is non-root ${where}`;
  }
  if (uid === 0) return `container has runAsNonRoot and image will run as root ${where}`;
  if (uid > 2 ** 31 - 1) {
    return `container has runAsNonRoot and image has an invalid user id (${uid}). (Must be 1-(2147483647)): must be between 0 and 2147483647, inclusive ${where}`;
  }
  return undefined;
}

/** `seccomp=...` for a profile; none for RuntimeDefault, which is the Engine's own default. */
export function seccompOption(
  profile: SeccompProfile | undefined,
  localhostProfile?: string,
): string | undefined {
  switch (profile?.type) {
    case "RuntimeDefault":
      return undefined;
    case "Localhost":
      // The Engine takes the profile's JSON itself, as the docker CLI sends it.
      return localhostProfile === undefined ? undefined : `seccomp=${localhostProfile}`;
    default:
      // Without a profile a pod runs unconfined: the kubelet's default (no --seccomp-default).
      return "seccomp=unconfined";
  }
}

/**
 * The Engine settings of a container's effective security context.
 *
 * @param user the image's `Config.User`, for a `runAsGroup` without `runAsUser`
 * @param localhostProfile the JSON of a `Localhost` seccomp profile, read by the caller
 */
export function securityConfig(
  pod: Pod,
  container: Container,
  user: string | undefined,
  localhostProfile?: string,
): SecurityConfig {
  const sc = effectiveSecurityContext(pod, container);
  const podSc = pod.spec.securityContext ?? {};
  const config: SecurityConfig = { SecurityOpt: [] };
  if (sc.runAsUser !== undefined) config.User = String(sc.runAsUser);
  if (sc.runAsGroup !== undefined) {
    config.User = `${config.User ?? ((user ?? "").split(":")[0] || "0")}:${sc.runAsGroup}`;
  }
  // fsGroup joins the supplemental groups, as the kubelet adds it.
  const groups = [
    ...(podSc.fsGroup !== undefined ? [podSc.fsGroup] : []),
    ...(podSc.supplementalGroups ?? []),
  ];
  if (groups.length) config.GroupAdd = groups.map(String);
  if (sc.privileged) config.Privileged = true;
  if (sc.readOnlyRootFilesystem) config.ReadonlyRootfs = true;
  if (sc.capabilities?.add?.length) config.CapAdd = [...sc.capabilities.add];
  if (sc.capabilities?.drop?.length) config.CapDrop = [...sc.capabilities.drop];
  // A privileged container runs without seccomp anyway.
  const seccomp = sc.privileged ? undefined : seccompOption(sc.seccompProfile, localhostProfile);
  if (seccomp) config.SecurityOpt.push(seccomp);
  if (sc.allowPrivilegeEscalation === false) config.SecurityOpt.push("no-new-privileges");
  return config;
}
