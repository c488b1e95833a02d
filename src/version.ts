/** The standalone kubelet's version. */
export const VERSION = "0.1.0";
/** The Kubernetes release whose kubelet behaviour, flags and status shapes we follow. */
export const KUBERNETES_VERSION = "v1.31";
