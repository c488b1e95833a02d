/**
 * Values of environment variables that come from the pod (`fieldRef`) or
 * from a container's resources (`resourceFieldRef`), as the kubelet's
 * `podFieldSelectorRuntimeValue` and `containerResourceRuntimeValue` give them.
 *
 * @module
 */
import { parseQuantity } from "../api/quantity.ts";
import type { Container, EnvVar, Pod } from "../api/types.ts";

/** What the pod's env can refer to besides the pod itself. */
export interface PodRuntimeFacts {
  podIPs: string[];
  hostIPs: string[];
  /** The node's allocatable CPU, in cores: the value of a `limits.cpu` the container does not set. */
  nodeCpu: number;
  /** The node's allocatable memory, in bytes: the value of a `limits.memory` the container does not set. */
  nodeMemory: number;
}

const SUBSCRIPT = /^(metadata\.(?:labels|annotations))\['([^']*)'\]$/;

/**
 * The value of the metadata field paths both env and downward API volumes
 * take: `metadata.name`, `namespace`, `uid`, and one key of the labels or
 * annotations (`metadata.labels['app']`); undefined for any other path.
 */
export function metadataFieldValue(pod: Pod, fieldPath: string): string | undefined {
  const subscript = SUBSCRIPT.exec(fieldPath);
  if (subscript) {
    const map = subscript[1] === "metadata.labels" ? pod.metadata.labels : pod.metadata.annotations;
    return map?.[subscript[2]] ?? "";
  }
  switch (fieldPath) {
    case "metadata.name":
      return pod.metadata.name ?? "";
    case "metadata.namespace":
      return pod.metadata.namespace ?? "";
    case "metadata.uid":
      return pod.metadata.uid ?? "";
  }
  return undefined;
}

/** The value of a `fieldRef.fieldPath` for `pod`. */
export function fieldRefValue(pod: Pod, fieldPath: string, facts: PodRuntimeFacts): string {
  const metadata = metadataFieldValue(pod, fieldPath);
  if (metadata !== undefined) return metadata;
  switch (fieldPath) {
    case "spec.nodeName":
      return pod.spec.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec.serviceAccountName ?? "";
    case "status.podIP":
      return facts.podIPs[0] ?? "";
    case "status.podIPs":
      return facts.podIPs.join(",");
    case "status.hostIP":
      return facts.hostIPs[0] ?? "";
    case "status.hostIPs":
      return facts.hostIPs.join(",");
  }
  throw new Error(`unsupported fieldPath ${JSON.stringify(fieldPath)}`);
}

/**
 * The value of a `resourceFieldRef`: the resource of the named container
 * (this one by default) divided by `divisor` and rounded up; a limit the
 * container does not set is the node's allocatable amount, as the kubelet
 * defaults it.
 *
 * @throws {Error} naming a container that is not in the pod
 */
export function resourceFieldRefValue(
  pod: Pod,
  container: Container,
  ref: NonNullable<EnvVar["valueFrom"]>["resourceFieldRef"] & object,
  facts: PodRuntimeFacts,
): string {
  const target = ref.containerName
    ? [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === ref.containerName)
    : container;
  if (!target) throw new Error(`container ${ref.containerName} not found`);
  const [kind, resource] = ref.resource.split(/\.(.*)/s);
  const set = (kind === "limits" ? target.resources?.limits : target.resources?.requests)?.[resource];
  let value = set === undefined ? 0 : parseQuantity(set);
  if (set === undefined && kind === "limits") {
    value = resource === "cpu" ? facts.nodeCpu : resource === "memory" ? facts.nodeMemory : 0;
  }
  const divisor = ref.divisor === undefined || ref.divisor === "" ? 1 : parseQuantity(ref.divisor);
  if (resource === "cpu") {
    // In millicores first, as Kubernetes rounds CPU: 250m / 1 is 1, 250m / 1m is 250.
    return String(Math.ceil(Math.ceil(value * 1000 - 1e-9) / Math.round(divisor * 1000)));
  }
  return String(Math.ceil(value / divisor - 1e-9));
}

/** The value of an env var's `valueFrom`, or undefined when it has no source the kubelet can resolve. */
export function envSourceValue(
  pod: Pod,
  container: Container,
  env: EnvVar,
  facts: PodRuntimeFacts,
): string | undefined {
  const from = env.valueFrom;
  if (from?.fieldRef) return fieldRefValue(pod, from.fieldRef.fieldPath, facts);
  if (from?.resourceFieldRef) return resourceFieldRefValue(pod, container, from.resourceFieldRef, facts);
  return undefined;
}
