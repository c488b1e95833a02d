/**
 * The standalone kubelet's versions, and the two ways it prints them:
 * `--version` in the kubelet's one-line form, `kubelet version` in full.
 *
 * @module
 */

/** The standalone kubelet's own version. */
export const VERSION = "0.1.0";
/** The Kubernetes release whose kubelet behaviour, flags and status shapes we follow. */
export const KUBERNETES_VERSION = "v1.31.0";

/**
 * `kubelet --version`: `Kubernetes v1.31.0-standalone.0.1.0`, the real
 * kubelet's form. kubeadm's preflight (`GetKubeletVersion`) matches it with
 * `^\s*Kubernetes v((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-0-9a-zA-Z_\.+]*)?)\s*$`
 * and parses the version as semver; ours is a pre-release of the release we
 * follow, so it is never newer than a control plane of that release.
 */
export function shortVersion(): string {
  return `Kubernetes ${KUBERNETES_VERSION}-standalone.${VERSION}`;
}

/**
 * `kubelet version`: what this program is and what runs it, e.g.
 * `standalone-kubelet 0.1.0 (Kubernetes v1.31.0 kubelet behaviour) bun 1.4.5 amd64`.
 *
 * @param runtime the platform's name and version (`bun`, `1.4.5`)
 */
export function longVersion(runtime: { name: string; runtimeVersion: string; arch: string }): string {
  return `standalone-kubelet ${VERSION} (Kubernetes ${KUBERNETES_VERSION} kubelet behaviour) ${runtime.name} ${runtime.runtimeVersion} ${runtime.arch}`;
}
