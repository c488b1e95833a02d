/**
 * The pod's quality-of-service class, as Kubernetes computes it from
 * requests and limits (pkg/apis/core/helper/qos).
 *
 * @module
 */
import { parseQuantity } from "../api/quantity.ts";
import type { Pod } from "../api/types.ts";

const SUPPORTED = ["cpu", "memory"];

function positive(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  try {
    const v = parseQuantity(q);
    return v > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * BestEffort when no container sets cpu or memory requests or limits;
 * Guaranteed when every container sets both limits and its requests equal
 * them (requests default to limits); Burstable otherwise.
 */
export function qosClass(pod: Pod): "Guaranteed" | "Burstable" | "BestEffort" {
  const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    for (const r of SUPPORTED) {
      // Only quantities above zero count, as Kubernetes' QoS rules say.
      const limit = positive(c.resources?.limits?.[r]);
      const request = positive(c.resources?.requests?.[r]);
      if (limit !== undefined || request !== undefined) any = true;
      if (limit === undefined) guaranteed = false;
      else if (request !== undefined && request !== limit) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}
