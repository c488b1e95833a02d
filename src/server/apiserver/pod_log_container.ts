/**
 * Which container a log request without `container` means, as the API
 * server's `pod/strategy.go` `LogLocation` picks it: the one named by the
 * `kubectl.kubernetes.io/default-container` annotation, else the only
 * container, else a BadRequest naming the choices.
 *
 * @module
 */
import type { Pod } from "../../api/types.ts";
import { badRequest, type Status } from "./status_error.ts";

/** The annotation naming a pod's default container. */
export const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

/** The container to read, or the Status to answer. */
export function podLogContainer(pod: Pod, requested: string): string | Status {
  if (requested) return requested;
  const names = pod.spec.containers.map((c) => c.name);
  const inits = (pod.spec.initContainers ?? []).map((c) => c.name);
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated && [...names, ...inits].includes(annotated)) return annotated;
  if (names.length === 1) return names[0];
  const name = pod.metadata.name ?? "";
  const initText = inits.length ? ` or one of the init containers: [${inits.join(" ")}]` : "";
  return badRequest(
    `a container name must be specified for pod ${name}, choose one of: [${names.join(" ")}]${initText}`,
  );
}
