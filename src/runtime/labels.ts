/**
 * Labels the kubelet puts on every container it creates, so that it can find
 * its pods again after a restart (the dockershim's `io.kubernetes.*` labels
 * are the model), and the Docker container names built from them.
 *
 * @module
 */

export const LABEL_POD_NAME = "io.kubernetes.pod.name";
export const LABEL_POD_NAMESPACE = "io.kubernetes.pod.namespace";
export const LABEL_POD_UID = "io.kubernetes.pod.uid";
export const LABEL_CONTAINER_NAME = "io.kubernetes.container.name";
/** `podsandbox` for the infra container, `container` for the others. */
export const LABEL_TYPE = "io.kubernetes.docker.type";
export const LABEL_SANDBOX_ID = "io.kubernetes.sandbox.id";
export const LABEL_CONTAINER_HASH = "io.kubernetes.container.hash";
export const LABEL_RESTART_COUNT = "io.kubernetes.container.restartCount";
export const LABEL_GRACE_PERIOD = "io.kubernetes.pod.terminationGracePeriod";
export const LABEL_TERMINATION_MESSAGE_PATH = "io.kubernetes.container.terminationMessagePath";
export const LABEL_TERMINATION_MESSAGE_POLICY = "io.kubernetes.container.terminationMessagePolicy";
/** Which node (kubelet) owns the container: each kubelet touches only its own. */
export const LABEL_NODE = "io.kubernetes.standalone.node";
/** `init` for init containers, `app` for the others. */
export const LABEL_CONTAINER_KIND = "io.kubernetes.standalone.container.kind";
/** Seconds to wait before restarting this container once it has died (its CrashLoopBackOff step). */
export const LABEL_BACKOFF = "io.kubernetes.standalone.backoff";
/** The sandbox's attempt number, counted up each time a pod's sandbox is recreated. */
export const LABEL_ATTEMPT = "io.kubernetes.standalone.attempt";

/** The container name the kubelet gives the infra container. */
export const SANDBOX_CONTAINER_NAME = "POD";

/** The identity of a pod as labels carry it. */
export interface PodRef {
  name: string;
  namespace: string;
  uid: string;
}

/**
 * The Docker name of a container, as the dockershim builds it:
 * `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`.
 */
export function dockerContainerName(container: string, pod: PodRef, attempt: number): string {
  return `k8s_${container}_${pod.name}_${pod.namespace}_${pod.uid}_${attempt}`;
}

/** The labels every container of `pod` on `node` carries. */
export function podLabels(node: string, pod: PodRef, gracePeriodSeconds: number): Record<string, string> {
  return {
    [LABEL_NODE]: node,
    [LABEL_POD_NAME]: pod.name,
    [LABEL_POD_NAMESPACE]: pod.namespace,
    [LABEL_POD_UID]: pod.uid,
    [LABEL_GRACE_PERIOD]: String(gracePeriodSeconds),
  };
}
