/**
 * Build stamps: the version and git commit `scripts/release.ts` writes into
 * each binary through `bun build --define`, read back by `src/version.ts`.
 *
 * @module
 */

/** What a release binary is stamped with. */
export interface BuildStamp {
  /** `package.json`'s version. */
  version: string;
  /** The short commit, `-dirty` appended when the tree had changes; none outside git. */
  commit?: string;
}

const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const COMMIT = /^[0-9a-f]{7,40}(-dirty)?$/;

/**
 * The stamp for a build, from `package.json`'s version and git's answers.
 *
 * @param head `git rev-parse --short=12 HEAD` output, or undefined outside a git checkout.
 * @param porcelain `git status --porcelain` output: any line means the tree is dirty.
 * @throws {Error} when the version is not semver or `head` is not a commit id.
 */
export function buildStamp(version: string, head?: string, porcelain = ""): BuildStamp {
  if (!SEMVER.test(version)) throw new Error(`package.json version ${JSON.stringify(version)} is not semver`);
  if (head === undefined) return { version };
  const commit = head.trim() + (porcelain.trim() === "" ? "" : "-dirty");
  if (!COMMIT.test(commit)) throw new Error(`git gave ${JSON.stringify(head)} for HEAD, not a commit id`);
  return { version, commit };
}

/**
 * `bun build` arguments that stamp `stamp` into the bundle: each `--define`
 * replaces an identifier `src/version.ts` reads with a JSON string literal.
 */
export function defineArgs(stamp: BuildStamp): string[] {
  const args = ["--define", `STANDALONE_KUBELET_VERSION=${JSON.stringify(stamp.version)}`];
  if (stamp.commit !== undefined) {
    args.push("--define", `STANDALONE_KUBELET_COMMIT=${JSON.stringify(stamp.commit)}`);
  }
  return args;
}
