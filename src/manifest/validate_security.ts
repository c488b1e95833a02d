/**
 * Validation of a pod's host namespaces and security contexts, pod and
 * container level, as the API server's validation.go does it.
 *
 * @module
 */

import {
  bool,
  forbidden,
  int,
  invalid,
  list,
  type Obj,
  object,
  oneOf,
  optionalString,
  required,
  requiredString,
  show,
} from "./_field.ts";

const MAX_ID = 2 ** 31 - 1;
const SECCOMP_TYPES = ["Localhost", "RuntimeDefault", "Unconfined"];
const SYSCTL_NAME = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

/** Which namespace a sysctl lives in (k8s.io/component-helpers/node/util/sysctl), or undefined when it is the host's. */
export function sysctlNamespace(name: string): "net" | "ipc" | undefined {
  const dotted = name.replaceAll("/", ".");
  if (dotted.startsWith("net.")) return "net";
  if (
    /^(kernel\.(sem|shmall|shmmax|shmmni|shm_rmid_forced|msgmax|msgmnb|msgmni)|fs\.mqueue\.)/.test(dotted)
  ) {
    return "ipc";
  }
  return undefined;
}

/** Checks `hostNetwork`, `hostPID`, `hostIPC`, `shareProcessNamespace` and `spec.securityContext`. */
export function validatePodSecurity(spec: Obj, errs: string[]): void {
  const hostNetwork = bool(spec.hostNetwork, "spec.hostNetwork", errs);
  const hostPID = bool(spec.hostPID, "spec.hostPID", errs);
  const hostIPC = bool(spec.hostIPC, "spec.hostIPC", errs);
  const share = bool(spec.shareProcessNamespace, "spec.shareProcessNamespace", errs);
  if (hostPID && share) {
    errs.push(
      invalid(
        "spec.securityContext.shareProcessNamespace",
        true,
        "ShareProcessNamespace and HostPID cannot both be enabled",
      ),
    );
  }
  const path = "spec.securityContext";
  const sc = object(spec.securityContext, path, errs);
  if (!sc) return;
  validateIds(sc, path, errs);
  list(sc.supplementalGroups, `${path}.supplementalGroups`, errs)
    .forEach((g, i) => int(g, `${path}.supplementalGroups[${i}]`, 0, MAX_ID, errs));
  int(sc.fsGroup, `${path}.fsGroup`, 0, MAX_ID, errs);
  validateSeccomp(sc.seccompProfile, `${path}.seccompProfile`, errs);
  const names = new Set<string>();
  list(sc.sysctls, `${path}.sysctls`, errs).forEach((s, i) => {
    const at = `${path}.sysctls[${i}]`;
    const sysctl = object(s, at, errs);
    if (!sysctl) return;
    optionalString(sysctl.value, `${at}.value`, errs);
    const name = requiredString(sysctl.name, `${at}.name`, errs);
    if (name === undefined) return;
    if (name.length > 253 || !SYSCTL_NAME.test(name)) {
      errs.push(
        invalid(`${at}.name`, name, `must have at most 253 characters and match regex ${SYSCTL_NAME.source}`),
      );
      return;
    }
    if (names.has(name)) errs.push(`${at}.name: Duplicate value: ${show(name)}`);
    names.add(name);
    const ns = sysctlNamespace(name);
    if (ns === undefined) {
      errs.push(
        forbidden(
          `${at}.name`,
          "not a namespaced sysctl: a pod may set only net.*, kernel.shm*, kernel.msg*, kernel.sem and fs.mqueue.*",
        ),
      );
    } else if (ns === "net" && hostNetwork) {
      errs.push(invalid(`${at}.name`, name, "may not be specified when 'hostNetwork' is true"));
    } else if (ns === "ipc" && hostIPC) {
      errs.push(invalid(`${at}.name`, name, "may not be specified when 'hostIPC' is true"));
    }
  });
}

/** Checks a container's `securityContext`. */
export function validateContainerSecurity(container: Obj, path: string, errs: string[]): void {
  const at = `${path}.securityContext`;
  const sc = object(container.securityContext, at, errs);
  if (!sc) return;
  validateIds(sc, at, errs);
  const privileged = bool(sc.privileged, `${at}.privileged`, errs);
  bool(sc.readOnlyRootFilesystem, `${at}.readOnlyRootFilesystem`, errs);
  const escalation = bool(sc.allowPrivilegeEscalation, `${at}.allowPrivilegeEscalation`, errs);
  const caps = object(sc.capabilities, `${at}.capabilities`, errs);
  const add: unknown[] = [];
  for (const field of ["add", "drop"]) {
    const names = list(caps?.[field], `${at}.capabilities.${field}`, errs);
    names.forEach((c, i) => requiredString(c, `${at}.capabilities.${field}[${i}]`, errs));
    if (field === "add") add.push(...names);
  }
  validateSeccomp(sc.seccompProfile, `${at}.seccompProfile`, errs);
  if (escalation === false && privileged) {
    errs.push(invalid(at, sc, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
  }
  if (escalation === false && add.includes("CAP_SYS_ADMIN")) {
    errs.push(
      invalid(at, sc, "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"),
    );
  }
}

function validateIds(sc: Obj, path: string, errs: string[]): void {
  int(sc.runAsUser, `${path}.runAsUser`, 0, MAX_ID, errs);
  int(sc.runAsGroup, `${path}.runAsGroup`, 0, MAX_ID, errs);
  bool(sc.runAsNonRoot, `${path}.runAsNonRoot`, errs);
}

function validateSeccomp(value: unknown, path: string, errs: string[]): void {
  const profile = object(value, path, errs);
  if (!profile) return;
  if (profile.type == null || profile.type === "") return void errs.push(required(`${path}.type`));
  oneOf(profile.type, `${path}.type`, SECCOMP_TYPES, errs);
  const local = optionalString(profile.localhostProfile, `${path}.localhostProfile`, errs);
  if (profile.type === "Localhost") {
    if (!local) errs.push(required(`${path}.localhostProfile`, "must be set when seccomp type is Localhost"));
    else if (local.startsWith("/") || local.split("/").includes("..")) {
      errs.push(invalid(`${path}.localhostProfile`, local, "must be a relative path without '..'"));
    }
  } else if (local !== undefined) {
    errs.push(invalid(`${path}.localhostProfile`, profile, "can only be set when seccomp type is Localhost"));
  }
}
