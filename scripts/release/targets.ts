/**
 * The release targets: which binaries `scripts/release.ts` builds, and which
 * Bun runtime (an npm package of the `bun` package's optional dependencies)
 * each one is compiled with.
 *
 * @module
 */

/** One release binary. */
export interface ReleaseTarget {
  /** The binary's name under `dist/` (`kubelet-linux-arm64`). */
  file: string;
  /** `bun build --target` value (`bun-linux-arm64`). */
  bunTarget: string;
  /** The npm package whose `bin/bun` is this target's runtime. */
  runtimePackage: string;
  /** The CPU in Docker's naming, as the binary's `platform.arch` reports it. */
  arch: "amd64" | "arm64";
  /** The C library the binary links against. */
  libc: "glibc" | "musl";
}

/** Every target `npm run release` builds, in the order it builds them. */
export const RELEASE_TARGETS: readonly ReleaseTarget[] = [
  {
    file: "kubelet-linux-x64",
    bunTarget: "bun-linux-x64",
    runtimePackage: "@oven/bun-linux-x64",
    arch: "amd64",
    libc: "glibc",
  },
  {
    file: "kubelet-linux-arm64",
    bunTarget: "bun-linux-arm64",
    runtimePackage: "@oven/bun-linux-aarch64",
    arch: "arm64",
    libc: "glibc",
  },
  {
    file: "kubelet-linux-x64-musl",
    bunTarget: "bun-linux-x64-musl",
    runtimePackage: "@oven/bun-linux-x64-musl",
    arch: "amd64",
    libc: "musl",
  },
  {
    file: "kubelet-linux-arm64-musl",
    bunTarget: "bun-linux-arm64-musl",
    runtimePackage: "@oven/bun-linux-aarch64-musl",
    arch: "arm64",
    libc: "musl",
  },
];

/**
 * Picks targets by their file name without the `kubelet-` prefix
 * (`linux-arm64`, `linux-x64-musl`); an empty list means all of them.
 *
 * @throws {Error} naming the unknown target and the known ones.
 */
export function selectTargets(names: readonly string[]): ReleaseTarget[] {
  if (names.length === 0) return [...RELEASE_TARGETS];
  return names.map((name) => {
    const target = RELEASE_TARGETS.find((t) => t.file === `kubelet-${name}`);
    if (!target) {
      const known = RELEASE_TARGETS.map((t) => t.file.slice("kubelet-".length)).join(", ");
      throw new Error(`unknown release target ${JSON.stringify(name)} (known: ${known})`);
    }
    return target;
  });
}
