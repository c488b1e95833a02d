/**
 * The core/v1 defaults the API server fills into a pod
 * (k8s.io/kubernetes pkg/apis/core/v1/defaults.go), so that a static pod
 * looks the same as one read back from a cluster.
 *
 * @module
 */

import type { Pod } from "../api/types.ts";
import { copyJson } from "./copy_json.ts";

type Obj = Record<string, unknown>;

/**
 * Returns a copy of `pod` with the v1 defaults set; `pod` is not changed.
 *
 * Pod: `restartPolicy: Always`, `terminationGracePeriodSeconds: 30`,
 * `dnsPolicy: ClusterFirst`, `schedulerName: default-scheduler`,
 * `securityContext: {}`, `enableServiceLinks: true`. Each container and init
 * container: `terminationMessagePath: /dev/termination-log`,
 * `terminationMessagePolicy: File`, `imagePullPolicy` (`Always` for a
 * `latest` or missing tag, else `IfNotPresent`), `resources: {}` with requests
 * defaulted from limits, port `protocol: TCP` (and `hostPort` = `containerPort`
 * under `hostNetwork`), probe timings (1s timeout, 10s period, thresholds 1 and
 * 3), HTTP `path: /` and `scheme: HTTP`, `fieldRef.apiVersion: v1`. Volumes: a
 * volume with no source becomes an `emptyDir`, `hostPath.type` defaults to "".
 *
 * Safe on an unvalidated pod: fields of the wrong type are left as they are.
 *
 * @example Usage
 * ```ts
 * const pod = applyDefaults({ metadata: { name: "web" }, spec: { containers: [{ name: "web", image: "nginx" }] } });
 * pod.spec.containers[0].imagePullPolicy; // "Always"
 * ```
 */
export function applyDefaults(pod: Pod): Pod {
  const copy = copyJson(pod);
  const spec: unknown = copy.spec;
  if (!isObject(spec)) return copy;
  setIfEmpty(spec, "restartPolicy", "Always");
  setIfAbsent(spec, "terminationGracePeriodSeconds", 30);
  setIfEmpty(spec, "dnsPolicy", "ClusterFirst");
  setIfAbsent(spec, "securityContext", {});
  setIfEmpty(spec, "schedulerName", "default-scheduler");
  setIfAbsent(spec, "enableServiceLinks", true);
  for (const container of [...objects(spec.initContainers), ...objects(spec.containers)]) {
    defaultContainer(container, spec.hostNetwork === true);
  }
  for (const volume of objects(spec.volumes)) {
    const sources = Object.keys(volume).filter((key) => key !== "name" && volume[key] != null);
    if (sources.length === 0) volume.emptyDir = {};
    if (isObject(volume.hostPath)) setIfAbsent(volume.hostPath, "type", "");
  }
  return copy;
}

/**
 * The pull policy the API server picks for an image without one: `Always` when
 * the tag is `latest`, or when there is neither tag nor digest; else `IfNotPresent`.
 *
 * @example Usage
 * ```ts
 * defaultPullPolicy("localhost:5000/web"); // "Always"
 * defaultPullPolicy("nginx:1.27"); // "IfNotPresent"
 * ```
 */
export function defaultPullPolicy(image: string): "Always" | "IfNotPresent" {
  const at = image.indexOf("@");
  const name = at >= 0 ? image.slice(0, at) : image;
  // A colon before the last slash belongs to a registry's port, not to a tag.
  const colon = name.lastIndexOf(":");
  const tag = colon > name.lastIndexOf("/") ? name.slice(colon + 1) : "";
  const latest = tag === "latest" || (tag === "" && at < 0);
  return latest ? "Always" : "IfNotPresent";
}

function defaultContainer(container: Obj, hostNetwork: boolean): void {
  setIfEmpty(container, "terminationMessagePath", "/dev/termination-log");
  setIfEmpty(container, "terminationMessagePolicy", "File");
  if (typeof container.image === "string") {
    setIfEmpty(container, "imagePullPolicy", defaultPullPolicy(container.image));
  }
  setIfAbsent(container, "resources", {});
  const resources = container.resources;
  if (isObject(resources) && isObject(resources.limits)) {
    // A limit without a request asks for the limit (SetDefaults_Pod).
    const requests = isObject(resources.requests) ? resources.requests : {};
    for (const [key, value] of Object.entries(resources.limits)) setIfAbsent(requests, key, value);
    resources.requests = requests;
  }
  for (const port of objects(container.ports)) {
    setIfEmpty(port, "protocol", "TCP");
    if (hostNetwork && !port.hostPort) port.hostPort = port.containerPort;
  }
  for (const env of objects(container.env)) {
    if (isObject(env.valueFrom) && isObject(env.valueFrom.fieldRef)) {
      setIfEmpty(env.valueFrom.fieldRef, "apiVersion", "v1");
    }
  }
  for (const name of ["livenessProbe", "readinessProbe", "startupProbe"]) {
    const probe = container[name];
    if (!isObject(probe)) continue;
    // Zero means unset for these fields, as in the Go API.
    for (
      const [field, value] of [["timeoutSeconds", 1], ["periodSeconds", 10], ["successThreshold", 1], [
        "failureThreshold",
        3,
      ]] as const
    ) {
      if (!probe[field]) probe[field] = value;
    }
    defaultHttpGet(probe.httpGet);
  }
  const lifecycle = container.lifecycle;
  if (isObject(lifecycle)) {
    for (const hook of [lifecycle.postStart, lifecycle.preStop]) {
      if (isObject(hook)) defaultHttpGet(hook.httpGet);
    }
  }
}

function defaultHttpGet(action: unknown): void {
  if (!isObject(action)) return;
  setIfEmpty(action, "path", "/");
  setIfEmpty(action, "scheme", "HTTP");
}

/** Sets a field that is missing, null or the empty string (Go's zero value for a string). */
function setIfEmpty(obj: Obj, key: string, value: unknown): void {
  if (obj[key] == null || obj[key] === "") obj[key] = value;
}

/** Sets a field that is missing or null (Go's nil pointer). */
function setIfAbsent(obj: Obj, key: string, value: unknown): void {
  if (obj[key] == null) obj[key] = value;
}

function objects(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
