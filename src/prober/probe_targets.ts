/**
 * Which containers of a pod should be probed: the running ones in its live
 * infra container, with their specs and the pod's IP.
 *
 * @module
 */
import type { Pod } from "../api/types.ts";
import type { ObservedPod } from "../runtime/observed.ts";
import type { ProbeTarget } from "./prober_manager.ts";

/** The probe targets of `pod` as `observed` shows it; `hostIP` is the pod IP under hostNetwork. */
export function probeTargets(pod: Pod, observed: ObservedPod | undefined, hostIP: string): ProbeTarget[] {
  const sandbox = observed?.sandboxes.find((s) => s.podUid === pod.metadata.uid && s.state === "running");
  if (!sandbox) return [];
  const podIP = pod.spec.hostNetwork ? hostIP : sandbox.ip;
  const targets: ProbeTarget[] = [];
  for (const c of observed!.containers) {
    if (c.sandboxId !== sandbox.id || c.state !== "running") continue;
    const list = c.kind === "init" ? pod.spec.initContainers ?? [] : pod.spec.containers;
    const container = list.find((s) => s.name === c.name);
    if (!container) continue;
    targets.push({
      pod,
      container,
      containerId: c.id,
      startedAt: Date.parse(c.startedAt ?? c.createdAt),
      podIP,
    });
  }
  return targets;
}
