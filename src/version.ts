/**
 * The standalone kubelet's version and the git commit it was built from.
 *
 * `scripts/release.ts` stamps both into each release binary with
 * `bun build --define`: the identifiers below are replaced by string literals
 * at build time. Under `deno run` / `bun mod.ts` nothing replaces them, so
 * the defaults apply (the version as `package.json` has it, no commit).
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
export const KUBERNETES_VERSION = "v1.31";

/**
 * The one-line answer of `--version` and `kubelet version`.
 *
 * @example "standalone-kubelet 0.1.0 (commit 830f9f7c1a2b, Kubernetes v1.31 kubelet behaviour)"
 */
export function versionText(version: string = VERSION, commit: string | undefined = COMMIT): string {
  const built = commit === undefined ? "" : `commit ${commit}, `;
  return `standalone-kubelet ${version} (${built}Kubernetes ${KUBERNETES_VERSION} kubelet behaviour)`;
}
