/**
 * Checks a decoded pod the way the API server's validation would, for the
 * fields the standalone kubelet acts on, and rejects what it cannot run.
 *
 * @module
 */

import { validateAnnotations, validateLabels } from "./validate_meta_maps.ts";
import type { Pod } from "../api/types.ts";
import {
  absolutePath,
  dnsLabel,
  dnsSubdomain,
  forbidden,
  int,
  invalid,
  isObject,
  list,
  type Obj,
  object,
  oneOf,
  optionalString,
  portName,
  required,
  requiredString,
  show,
  unique,
} from "./_field.ts";
import { parseQuantity } from "../api/quantity.ts";
import { validatePodNames } from "./validate_dns.ts";
import { validateImage } from "./validate_image.ts";
import { validateRestrictingContainer, validateRestrictingPod } from "./validate_restricting.ts";
import { quantityProblem, validateTypes } from "./validate_types.ts";
import { validateEnvSources, validateResources } from "./validate_resources.ts";
import { validateObjectRefs, validatePullSecrets } from "./validate_object_refs.ts";
import { validateContainerSecurity, validatePodSecurity } from "./validate_security.ts";
import { validateUid } from "./validate_uid.ts";
import { API_VOLUME_TYPES, validateApiDataVolume } from "./validate_api_volumes.ts";

/** What a container's checks need to know about the rest of the pod. */
interface Context {
  volumes: Set<string>;
  containerNames: Set<string>;
  hostNetwork: boolean;
}

/**
 * Lists what is wrong with a pod, one message per problem, each in
 * Kubernetes' `field.path: Type: detail` style, for example
 * `spec.containers[0].volumeMounts[0].name: Not found: "logs"`.
 *
 * Safe on any decoded value: fields of the wrong type are reported, never
 * thrown on. An empty result means the pod has the shape of {@linkcode Pod}
 * and only uses volume types the standalone kubelet supports (emptyDir,
 * hostPath, configMap, secret, downwardAPI, projected). Checks the pod as written: static-pod naming comes later.
 *
 * @example Usage
 * ```ts
 * validatePod({ metadata: {}, spec: { containers: [] } });
 * // ["metadata.name: Required value", "spec.containers: Required value"]
 * ```
 */
export function validatePod(pod: Pod): string[] {
  const errs: string[] = [];
  validateTypes(pod, errs);
  const meta: unknown = pod.metadata;
  if (meta == null) errs.push(required("metadata.name"));
  else if (isObject(meta)) validateMetadata(meta, errs);
  else errs.push(invalid("metadata", meta, "must be an object"));
  if (isObject(meta)) validateUid(meta.uid, errs);
  const spec: unknown = pod.spec;
  if (spec == null) return unique_([...errs, required("spec.containers")]);
  if (!isObject(spec)) return unique_([...errs, invalid("spec", spec, "must be an object")]);
  const ctx: Context = {
    volumes: validateVolumes(spec.volumes, errs),
    containerNames: new Set(),
    hostNetwork: spec.hostNetwork === true,
  };
  const containers = list(spec.containers, "spec.containers", errs);
  // An empty list is as missing as no list; a list of the wrong type was reported by `list`.
  if (containers.length === 0 && (spec.containers == null || Array.isArray(spec.containers))) {
    errs.push(required("spec.containers"));
  }
  containers.forEach((c, i) => validateContainer(c, `spec.containers[${i}]`, false, ctx, errs));
  // Init containers share the containers' names: a clash is reported on the init container, as the API server does.
  list(spec.initContainers, "spec.initContainers", errs)
    .forEach((c, i) => validateContainer(c, `spec.initContainers[${i}]`, true, ctx, errs));
  oneOf(spec.restartPolicy, "spec.restartPolicy", RESTART_POLICIES, errs);
  oneOf(spec.dnsPolicy, "spec.dnsPolicy", DNS_POLICIES, errs);
  validatePodSecurity(spec, errs);
  validatePodNames(spec, errs);
  validatePullSecrets(spec, errs);
  int(spec.terminationGracePeriodSeconds, "spec.terminationGracePeriodSeconds", 0, Infinity, errs);
  int(spec.activeDeadlineSeconds, "spec.activeDeadlineSeconds", 1, Infinity, errs);
  validateRestrictingPod(spec, errs);
  return unique_(errs);
}

/** `errs` without repeats: the type checks and the field checks may report one wrong type each. */
function unique_(errs: string[]): string[] {
  return [...new Set(errs)];
}

const RESTART_POLICIES = ["Always", "OnFailure", "Never"];
const DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const HOST_PATH_TYPES = [
  "",
  "DirectoryOrCreate",
  "Directory",
  "FileOrCreate",
  "File",
  "Socket",
  "CharDevice",
  "BlockDevice",
];
const PROBE_FIELDS = [
  "initialDelaySeconds",
  "timeoutSeconds",
  "periodSeconds",
  "successThreshold",
  "failureThreshold",
];
const NOT_SUPPORTED = "not supported by the standalone kubelet";
const SUPPORTED_VOLUMES = ["emptyDir", "hostPath", ...API_VOLUME_TYPES];

function validateMetadata(meta: Obj, errs: string[]): void {
  const name = requiredString(meta.name, "metadata.name", errs);
  if (name !== undefined) dnsSubdomain(name, "metadata.name", errs);
  const namespace = optionalString(meta.namespace, "metadata.namespace", errs);
  if (namespace) dnsLabel(namespace, "metadata.namespace", errs);
  for (const field of ["labels", "annotations"]) {
    const map = object(meta[field], `metadata.${field}`, errs) ?? {};
    for (const [key, value] of Object.entries(map)) optionalString(value, `metadata.${field}[${key}]`, errs);
    (field === "labels" ? validateLabels : validateAnnotations)(map, `metadata.${field}`, errs);
  }
}

/** Checks `spec.volumes` and returns the volume names, for the mounts to refer to. */
function validateVolumes(value: unknown, errs: string[]): Set<string> {
  const names = new Set<string>();
  list(value, "spec.volumes", errs).forEach((v, i) => {
    const path = `spec.volumes[${i}]`;
    const volume = object(v, path, errs);
    if (!volume) return;
    unique(requiredString(volume.name, `${path}.name`, errs), `${path}.name`, names, dnsLabel, errs);
    const types = Object.keys(volume).filter((key) => key !== "name" && volume[key] != null);
    for (const type of types.filter((t) => !SUPPORTED_VOLUMES.includes(t))) {
      errs.push(
        forbidden(`${path}.${type}`, `volume type ${NOT_SUPPORTED} (only ${SUPPORTED_VOLUMES.join(", ")})`),
      );
    }
    validateApiDataVolume(volume, path, errs);
    if (types.length === 0) errs.push(required(path, "must specify a volume type"));
    if (types.length > 1) {
      errs.push(forbidden(`${path}.${types[1]}`, "may not specify more than 1 volume type"));
    }
    const emptyDir = object(volume.emptyDir, `${path}.emptyDir`, errs);
    if (emptyDir) oneOf(emptyDir.medium, `${path}.emptyDir.medium`, ["", "Memory"], errs);
    const sizeLimit = emptyDir?.sizeLimit;
    if (
      sizeLimit != null && quantityProblem(sizeLimit) === undefined && parseQuantity(sizeLimit as string) < 0
    ) {
      errs.push(invalid(`${path}.emptyDir.sizeLimit`, sizeLimit, "must be greater than or equal to 0"));
    }
    const hostPath = object(volume.hostPath, `${path}.hostPath`, errs);
    if (!hostPath) return;
    const hostDir = requiredString(hostPath.path, `${path}.hostPath.path`, errs);
    if (hostDir !== undefined) absolutePath(hostDir, `${path}.hostPath.path`, errs);
    oneOf(hostPath.type, `${path}.hostPath.type`, HOST_PATH_TYPES, errs);
  });
  return names;
}

function validateContainer(value: unknown, path: string, init: boolean, ctx: Context, errs: string[]): void {
  const container = object(value, path, errs);
  if (!container) return;
  const name = requiredString(container.name, `${path}.name`, errs);
  unique(name, `${path}.name`, ctx.containerNames, dnsLabel, errs);
  const image = requiredString(container.image, `${path}.image`, errs);
  if (image && image.trim() !== image) {
    errs.push(invalid(`${path}.image`, image, "must not have leading or trailing whitespace"));
  } else if (image) validateImage(image, `${path}.image`, errs);
  for (const field of ["command", "args"]) {
    list(container[field], `${path}.${field}`, errs).forEach((s, i) =>
      optionalString(s, `${path}.${field}[${i}]`, errs)
    );
  }
  optionalString(container.workingDir, `${path}.workingDir`, errs);
  validatePorts(container.ports, `${path}.ports`, ctx.hostNetwork, errs);
  validateEnv(container, path, errs);
  validateEnvSources(container, path, errs);
  validateResources(container, path, errs);
  validateContainerSecurity(container, path, errs);
  validateMounts(container.volumeMounts, `${path}.volumeMounts`, ctx.volumes, errs);
  for (const kind of ["livenessProbe", "readinessProbe", "startupProbe"]) {
    const probe = object(container[kind], `${path}.${kind}`, errs);
    if (!probe) continue;
    validateHandler(probe, `${path}.${kind}`, ["exec", "httpGet", "tcpSocket", "grpc"], errs);
    for (const field of PROBE_FIELDS) int(probe[field], `${path}.${kind}.${field}`, 0, Infinity, errs);
    int(
      probe.terminationGracePeriodSeconds,
      `${path}.${kind}.terminationGracePeriodSeconds`,
      1,
      Infinity,
      errs,
    );
    // Liveness and startup probes succeed on the first success (API server rule).
    if (
      kind !== "readinessProbe" && typeof probe.successThreshold === "number" && probe.successThreshold > 1
    ) {
      errs.push(invalid(`${path}.${kind}.successThreshold`, probe.successThreshold, "must be 1"));
    }
  }
  const lifecycle = object(container.lifecycle, `${path}.lifecycle`, errs) ?? {};
  for (const hook of ["postStart", "preStop"]) {
    const handler = object(lifecycle[hook], `${path}.lifecycle.${hook}`, errs);
    if (handler) {
      validateHandler(handler, `${path}.lifecycle.${hook}`, ["exec", "httpGet", "tcpSocket", "sleep"], errs);
      const sleep = object(handler.sleep, `${path}.lifecycle.${hook}.sleep`, errs);
      if (sleep) int(sleep.seconds, `${path}.lifecycle.${hook}.sleep.seconds`, 0, Infinity, errs);
    }
  }
  oneOf(container.imagePullPolicy, `${path}.imagePullPolicy`, ["Always", "IfNotPresent", "Never"], errs);
  oneOf(container.terminationMessagePolicy, `${path}.terminationMessagePolicy`, [
    "File",
    "FallbackToLogsOnError",
  ], errs);
  validateRestrictingContainer(container, path, errs);
  if (init) oneOf(container.restartPolicy, `${path}.restartPolicy`, ["Always"], errs);
  else if (container.restartPolicy != null) {
    errs.push(forbidden(`${path}.restartPolicy`, "may not be set for non-init containers"));
  }
}

function validatePorts(value: unknown, path: string, hostNetwork: boolean, errs: string[]): void {
  const names = new Set<string>();
  list(value, path, errs).forEach((p, i) => {
    const at = `${path}[${i}]`;
    const port = object(p, at, errs);
    if (!port) return;
    const containerPort = port.containerPort == null || port.containerPort === 0
      ? void errs.push(required(`${at}.containerPort`))
      : int(port.containerPort, `${at}.containerPort`, 1, 65535, errs);
    const hostPort = port.hostPort === 0 ? undefined : int(port.hostPort, `${at}.hostPort`, 1, 65535, errs);
    if (hostNetwork && hostPort !== undefined && containerPort !== undefined && hostPort !== containerPort) {
      errs.push(invalid(`${at}.hostPort`, hostPort, "must match `containerPort` when `hostNetwork` is true"));
    }
    oneOf(port.protocol, `${at}.protocol`, ["TCP", "UDP", "SCTP"], errs);
    unique(optionalString(port.name, `${at}.name`, errs) || undefined, `${at}.name`, names, portName, errs);
  });
}

function validateEnv(container: Obj, path: string, errs: string[]): void {
  list(container.env, `${path}.env`, errs).forEach((e, i) => {
    const at = `${path}.env[${i}]`;
    const env = object(e, at, errs);
    if (!env) return;
    requiredString(env.name, `${at}.name`, errs);
    optionalString(env.value, `${at}.value`, errs);
    // ConfigMaps and Secrets come from the sources (validate_object_refs.ts); no other source exists here.
    const from = Object.entries(object(env.valueFrom, `${at}.valueFrom`, errs) ?? {});
    for (const [key, ref] of from) {
      if (!ENV_SOURCES.includes(key) && ref != null) {
        errs.push(forbidden(`${at}.valueFrom.${key}`, NOT_SUPPORTED));
      }
    }
  });
  validateObjectRefs(container, path, errs);
}

const ENV_SOURCES = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"];

function validateMounts(value: unknown, path: string, volumes: Set<string>, errs: string[]): void {
  const mountPaths = new Set<string>();
  list(value, path, errs).forEach((m, i) => {
    const at = `${path}[${i}]`;
    const mount = object(m, at, errs);
    if (!mount) return;
    const name = requiredString(mount.name, `${at}.name`, errs);
    if (name !== undefined && !volumes.has(name)) errs.push(`${at}.name: Not found: ${show(name)}`);
    const mountPath = requiredString(mount.mountPath, `${at}.mountPath`, errs);
    if (mountPath !== undefined && mountPaths.has(mountPath)) {
      errs.push(invalid(`${at}.mountPath`, mountPath, "must be unique"));
    } else if (mountPath !== undefined) {
      absolutePath(mountPath, `${at}.mountPath`, errs);
      mountPaths.add(mountPath);
    }
    const subPath = optionalString(mount.subPath, `${at}.subPath`, errs);
    if (subPath?.startsWith("/")) errs.push(invalid(`${at}.subPath`, subPath, "must be a relative path"));
    if (subPath?.split("/").includes("..")) {
      errs.push(invalid(`${at}.subPath`, subPath, "must not contain '..'"));
    }
  });
}

/** Checks that a probe or hook names exactly one of `types`, and that action's fields. */
function validateHandler(handler: Obj, path: string, types: string[], errs: string[]): void {
  const present = types.filter((type) => handler[type] != null);
  if (present.length === 0) errs.push(required(path, "must specify a handler type"));
  if (present.length > 1) {
    errs.push(forbidden(`${path}.${present[1]}`, "may not specify more than 1 handler type"));
  }
  if (present.includes("grpc")) errs.push(forbidden(`${path}.grpc`, NOT_SUPPORTED));
  const exec = object(handler.exec, `${path}.exec`, errs);
  if (exec && list(exec.command, `${path}.exec.command`, errs).length === 0) {
    errs.push(required(`${path}.exec.command`));
  }
  for (const type of ["httpGet", "tcpSocket"]) {
    const port = object(handler[type], `${path}.${type}`, errs)?.port;
    const at = `${path}.${type}.port`;
    if (port === undefined && !isObject(handler[type])) continue;
    if (port == null || port === "") errs.push(required(at));
    else if (typeof port === "string" && !/^[0-9]+$/.test(port)) portName(port, at, errs);
    else int(typeof port === "string" ? Number(port) : port, at, 1, 65535, errs);
  }
}
