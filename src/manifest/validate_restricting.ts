/**
 * Refuses the fields that would make a pod run tighter than the standalone
 * kubelet can make it: a field that restricts must be honoured or the pod
 * refused, so that no pod runs looser than written. Fields that only loosen
 * (`procMount: Unmasked`, `mountPropagation`) or inform (`nodeSelector`,
 * `priority`) are accepted and named in the "not acted on" warning.
 *
 * @module
 */

import { forbidden, isObject, type Obj } from "./_field.ts";

const CANNOT = "not supported by the standalone kubelet, which would run the pod without it";

/** Checks the pod-level fields; containers are checked by {@linkcode validateRestrictingContainer}. */
export function validateRestrictingPod(spec: Obj, errs: string[]): void {
  if (spec.hostUsers === false) errs.push(forbidden("spec.hostUsers", `user namespaces are ${CANNOT}`));
  if (typeof spec.runtimeClassName === "string" && spec.runtimeClassName !== "") {
    errs.push(forbidden("spec.runtimeClassName", `runtime classes are ${CANNOT}`));
  }
  if (isObject(spec.os) && typeof spec.os.name === "string" && spec.os.name !== "linux") {
    errs.push(forbidden("spec.os.name", `the node's OS is linux (PodOSNotSupported)`));
  }
  if (isObject(spec.resources) && Object.keys(spec.resources).length > 0) {
    errs.push(forbidden("spec.resources", `pod-level resources are ${CANNOT}`));
  }
  if (isObject(spec.securityContext)) {
    const sc = spec.securityContext;
    securityOptions(sc, "spec.securityContext", errs);
    if (sc.supplementalGroupsPolicy === "Strict") {
      errs.push(forbidden("spec.securityContext.supplementalGroupsPolicy", `Strict is ${CANNOT}`));
    }
  }
}

/** Checks a container's mounts and security context. */
export function validateRestrictingContainer(container: Obj, path: string, errs: string[]): void {
  if (isObject(container.securityContext)) {
    securityOptions(container.securityContext, `${path}.securityContext`, errs);
  }
  if (!Array.isArray(container.volumeMounts)) return;
  container.volumeMounts.forEach((mount, i) => {
    if (!isObject(mount)) return;
    const at = `${path}.volumeMounts[${i}]`;
    if (typeof mount.subPathExpr === "string" && mount.subPathExpr !== "") {
      errs.push(forbidden(`${at}.subPathExpr`, `${CANNOT} (it would mount the whole volume); use subPath`));
    }
    if (mount.recursiveReadOnly === "Enabled") {
      errs.push(
        forbidden(`${at}.recursiveReadOnly`, `Enabled is ${CANNOT}; IfPossible and Disabled are accepted`),
      );
    }
  });
}

/** `seLinuxOptions` and `appArmorProfile`, at pod or container level. */
function securityOptions(sc: Obj, path: string, errs: string[]): void {
  if (isObject(sc.seLinuxOptions) && Object.values(sc.seLinuxOptions).some((v) => v != null && v !== "")) {
    errs.push(forbidden(`${path}.seLinuxOptions`, `SELinux labels are ${CANNOT}`));
  }
  // Docker confines every unprivileged container with its default profile: RuntimeDefault is what runs.
  if (isObject(sc.appArmorProfile) && sc.appArmorProfile.type === "Localhost") {
    errs.push(forbidden(`${path}.appArmorProfile`, `Localhost AppArmor profiles are ${CANNOT}`));
  }
}
