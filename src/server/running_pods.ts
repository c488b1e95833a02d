/**
 * `/runningpods/`: the pods the runtime shows running, whatever the sources
 * want, as the kubelet's `GetRunningPods` converts them (`Pod.ToAPIPod`):
 * name, namespace and UID, and each running container's name and image.
 *
 * @module
 */
import type { Pod, PodList } from "../api/types.ts";
import type { ObservedPod } from "../runtime/observed.ts";

/** The running pods of `observed` (by full name), sorted by full name. */
export function runningPods(observed: ReadonlyMap<string, ObservedPod>): PodList {
  const items: Pod[] = [];
  for (const key of [...observed.keys()].sort()) {
    const pod = observed.get(key)!;
    const running = pod.containers.filter((c) => c.state === "running");
    const sandbox = pod.sandboxes.find((s) => s.state === "running");
    if (!sandbox && running.length === 0) continue;
    items.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: pod.name,
        namespace: pod.namespace,
        uid: (sandbox ?? running[0]).podUid,
        creationTimestamp: null,
      },
      spec: { containers: running.map((c) => ({ name: c.name, image: c.image, resources: {} })) },
      status: {} as Pod["status"],
    });
  }
  return { apiVersion: "v1", kind: "PodList", metadata: {}, items };
}
