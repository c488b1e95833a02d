/**
 * `npm run release` / `deno task release`: cross-compiles the kubelet for
 * every release target with `bun build --compile`, stamps each binary with
 * `package.json`'s version and the git commit, and writes `dist/SHA256SUMS`.
 *
 * Each target's Bun runtime comes from the npm registry, never from Bun's own
 * download server: it is fetched once with `npm pack @oven/bun-<target>@<bun version>`
 * (npm checks the registry's integrity hash) into
 * `node_modules/.cache/standalone-kubelet/` and handed to
 * `bun build --compile-executable-path`.
 *
 * Usage: scripts/release.ts [--no-bytecode] [--no-minify] [target...]
 *   target        linux-x64, linux-arm64, linux-x64-musl, linux-arm64-musl (default: all)
 *   --no-bytecode leave out the JavaScriptCore bytecode (3 MiB smaller, about a
 *                 third more CPU time to start; see the README's measurements)
 *   --no-minify   keep the bundle readable
 *
 * Runs under Bun and Deno (node: modules only).
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import process from "node:process";
import { type Checksum, formatChecksums, sha256Hex } from "./release/checksums.ts";
import { buildStamp, defineArgs } from "./release/stamp.ts";
import { RELEASE_TARGETS, type ReleaseTarget, selectTargets } from "./release/targets.ts";

const root = resolve(import.meta.dirname ?? ".", "..");
const dist = join(root, "dist");
const cache = join(root, "node_modules", ".cache", "standalone-kubelet");

function run(cmd: string, args: string[], cwd = root): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

function tryGit(args: string[]): string | undefined {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return undefined;
  }
}

function readJson(path: string): { version: string } {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** The `bun` executable that runs the build: the project's own. */
function bunCommand(): string {
  const local = join(root, "node_modules", ".bin", "bun");
  return existsSync(local) ? local : "bun";
}

/** The path of `target`'s Bun runtime binary, fetched from the npm registry when not yet cached. */
function runtimeFor(target: ReleaseTarget, bunVersion: string): string {
  // Always the package itself: node_modules/@oven/bun-linux-x64 is emptied by the bun
  // package's install script, which may also have picked the -baseline build instead.
  const dir = join(cache, `${target.runtimePackage.replace("/", "+")}@${bunVersion}`);
  const bin = join(dir, "package", "bin", "bun");
  if (existsSync(bin)) return bin;
  const tmp = mkdtempSync(join(tmpdir(), "kubelet-release-"));
  try {
    const spec = `${target.runtimePackage}@${bunVersion}`;
    console.log(`release: npm pack ${spec}`);
    const packed = JSON.parse(run("npm", ["pack", spec, "--json", "--pack-destination", tmp], tmp));
    mkdirSync(dir, { recursive: true });
    run("tar", ["-xzf", join(tmp, packed[0].filename), "-C", dir, "package/bin/bun", "package/package.json"]);
    chmodSync(bin, 0o755);
    return bin;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const bytecode = !argv.includes("--no-bytecode");
  const minify = !argv.includes("--no-minify");
  const names = argv.filter((a) => !a.startsWith("--"));
  const unknownFlag = argv.find((a) => a.startsWith("--") && a !== "--no-bytecode" && a !== "--no-minify");
  if (unknownFlag) {
    console.error(`release: unknown flag ${unknownFlag}`);
    return 2;
  }
  const targets = selectTargets(names);
  const stamp = buildStamp(
    readJson(join(root, "package.json")).version,
    tryGit(["rev-parse", "--short=12", "HEAD"]),
    tryGit(["status", "--porcelain", "--untracked-files=no"]),
  );
  const bunVersion = readJson(join(root, "node_modules", "bun", "package.json")).version;
  console.log(
    `release: standalone-kubelet ${stamp.version} commit ${stamp.commit ?? "(none)"}, bun ${bunVersion}`,
  );
  mkdirSync(dist, { recursive: true });

  const sums: Checksum[] = [];
  for (const target of targets) {
    const runtime = runtimeFor(target, bunVersion);
    const out = join(dist, target.file);
    const args = [
      "build",
      "--compile",
      `--target=${target.bunTarget}`,
      `--compile-executable-path=${runtime}`,
      ...(minify ? ["--minify"] : []),
      // --bytecode alone means CommonJS, which has no top-level await (src/main.ts uses it).
      ...(bytecode ? ["--bytecode", "--format=esm"] : []),
      "--sourcemap=none",
      ...defineArgs(stamp),
      "src/main.ts",
      "--outfile",
      out,
    ];
    console.log(`release: ${target.file} (${target.bunTarget})`);
    run(bunCommand(), args);
    const bytes = readFileSync(out);
    sums.push({ name: target.file, sha256: await sha256Hex(bytes) });
    console.log(`release: ${target.file} ${(statSync(out).size / 2 ** 20).toFixed(1)} MiB`);
  }
  // Only the targets built now: a partial build must not vouch for older files.
  const listed = targets.length === RELEASE_TARGETS.length ? "SHA256SUMS" : "SHA256SUMS.partial";
  writeFileSync(join(dist, listed), formatChecksums(sums));
  console.log(`release: wrote dist/${listed}`);
  return 0;
}

process.exit(await main(process.argv.slice(2)));
