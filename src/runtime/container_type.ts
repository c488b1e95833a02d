/**
 * The type of a container the kubelet created, read from its labels, as the kubelet's metrics
 * label it (`podsandbox`, `container`, `init_container`).
 *
 * @module
 */
import type { ContainerType } from "../metrics/kubelet_metrics.ts";
import { LABEL_CONTAINER_KIND, LABEL_TYPE } from "./labels.ts";

/** The metrics' container type of a container with `labels`; undefined when the kubelet did not make it. */
export function containerType(labels: Record<string, string> | undefined): ContainerType | undefined {
  if (!labels?.[LABEL_TYPE]) return undefined;
  if (labels[LABEL_TYPE] === "podsandbox") return "podsandbox";
  return labels[LABEL_CONTAINER_KIND] === "init" ? "init_container" : "container";
}
