/**
 * The standalone kubelet's version, the git commit it was built from, and the
 * two ways it prints them: `--version` in the kubelet's one-line form,
 * `kubelet version` in full.
 *
 * `scripts/release.ts` stamps the version and commit into each release binary
 * with `bun build --define`: the identifiers below are replaced by string
 * literals at build time. Under `deno run` / `bun mod.ts` nothing replaces
 * them, so the defaults apply (the version as `package.json` has it, no commit).
 *
 * @module
 */

// Replaced by `bun build --define STANDALONE_KUBELET_VERSION='"x.y.z"'`; never defined at run time.
declare const STANDALONE_KUBELET_VERSION: string | undefined;
declare const STANDALONE_KUBELET_COMMIT: string | undefined;

/** The version of an unstamped build; kept equal to `package.json`'s (a unit test checks). */
export const SOURCE_VERSION = "0.1.0";

/** The standalone kubelet's version: stamped at build time, else {@link SOURCE_VERSION}. */
export const VERSION: string = typeof STANDALONE_KUBELET_VERSION === "string"
  ? STANDALONE_KUBELET_VERSION
  : SOURCE_VERSION;

/**
 * The git commit the binary was built from (`-dirty` appended when the work
 * tree had changes), or `undefined` when the build was not stamped.
 */
export const COMMIT: string | undefined = typeof STANDALONE_KUBELET_COMMIT === "string"
  ? STANDALONE_KUBELET_COMMIT
  : undefined;

/** The Kubernetes release whose kubelet behaviour, flags and status shapes we follow. */
export const KUBERNETES_VERSION = "v1.31.0";

/**
 * What this program is: `standalone-kubelet 0.1.0 (commit 830f9f7c1a2b,
 * Kubernetes v1.31.0 kubelet behaviour)`; without a commit when unstamped.
 */
export function versionText(version: string = VERSION, commit: string | undefined = COMMIT): string {
  const built = commit === undefined ? "" : `commit ${commit}, `;
  return `standalone-kubelet ${version} (${built}Kubernetes ${KUBERNETES_VERSION} kubelet behaviour)`;
}

/**
 * `kubelet --version`: `Kubernetes v1.31.0-standalone.0.1.0`, the real
 * kubelet's form, with the commit as semver build metadata
 * (`+830f9f7c1a2b`) when stamped. kubeadm's preflight (`GetKubeletVersion`)
 * matches it with
 * `^\s*Kubernetes v((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-0-9a-zA-Z_\.+]*)?)\s*$`
 * and parses the version as semver; ours is a pre-release of the release we
 * follow, so it is never newer than a control plane of that release.
 */
export function shortVersion(version: string = VERSION, commit: string | undefined = COMMIT): string {
  return `Kubernetes ${KUBERNETES_VERSION}-standalone.${version}${commit === undefined ? "" : `+${commit}`}`;
}

/**
 * `kubelet version`: what this program is and what runs it, e.g.
 * `standalone-kubelet 0.1.0 (Kubernetes v1.31.0 kubelet behaviour) bun 1.4.5 amd64`.
 *
 * @param runtime the platform's name and version (`bun`, `1.4.5`)
 */
export function longVersion(runtime: { name: string; runtimeVersion: string; arch: string }): string {
  return `${versionText()} ${runtime.name} ${runtime.runtimeVersion} ${runtime.arch}`;
}
