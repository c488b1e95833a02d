/**
 * What the runtime shows of a pod: its infra containers and containers as the
 * kubelet's labels and the Engine's inspect describe them.
 *
 * @module
 */

/** One container (infra or not) the kubelet created, as observed. */
export interface ObservedContainer {
  id: string;
  /** The container's name in the pod spec (`POD` for the infra container). */
  name: string;
  kind: "sandbox" | "init" | "app";
  podName: string;
  podNamespace: string;
  podUid: string;
  /** The infra container this one joined (not set on infra containers). */
  sandboxId?: string;
  state: "created" | "running" | "exited" | "unknown";
  /** The Engine's ISO timestamps; undefined when the container never ran / still runs. */
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  oomKilled?: boolean;
  /** The Engine's error for a container that failed to start. */
  error?: string;
  hash: string;
  restartCount: number;
  /** Seconds to wait before restarting this container after it dies. */
  backoffSeconds: number;
  attempt: number;
  image: string;
  imageID: string;
  gracePeriodSeconds: number;
  /** IP on the bridge network (infra containers only). */
  ip?: string;
  /** Message the container left at its termination-message path, if read. */
  terminationMessage?: string;
}

/** Every container of one pod (by full name), newest first. */
export interface ObservedPod {
  name: string;
  namespace: string;
  sandboxes: ObservedContainer[];
  containers: ObservedContainer[];
}

/** The pod's full name, `name_namespace`, the key the kubelet uses. */
export function observedFullName(c: { podName: string; podNamespace: string }): string {
  return `${c.podName}_${c.podNamespace}`;
}
