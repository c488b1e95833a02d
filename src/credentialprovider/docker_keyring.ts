/**
 * The kubelet's credential sources for image pulls: `<root-dir>/config.json`
 * (the kubelet's own, `/var/lib/kubelet/config.json` by default) and the
 * Docker CLI's `config.json` (`$DOCKER_CONFIG`, else `$HOME/.docker`), with
 * the legacy `.dockercfg` beside each. Files are read at each lookup, so a
 * `docker login` takes effect without a restart.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { Platform } from "../platform/types.ts";
import { parseDockerConfig, type RegistryCredential } from "./docker_config.ts";
import { lookupCredentials } from "./keyring.ts";

/** Finds the credentials for an image, most specific first. */
export type Keyring = (image: string) => Promise<RegistryCredential[]>;

/** A credentials file larger than this is not read (a real one is a few KiB). */
const MAX_CONFIG_BYTES = 1 << 20;

/** The files read, in precedence order: an earlier file's entry wins over a later one for the same key. */
export function dockerConfigPaths(rootDir: string, env: (name: string) => string | undefined): string[] {
  const dirs = [rootDir];
  const dockerDir = env("DOCKER_CONFIG") ?? (env("HOME") ? `${env("HOME")}/.docker` : undefined);
  if (dockerDir) dirs.push(dockerDir);
  const home = env("HOME");
  return [
    ...dirs.map((d) => `${d.replace(/\/+$/, "")}/config.json`),
    ...[rootDir, ...(home ? [home] : [])].map((d) => `${d.replace(/\/+$/, "")}/.dockercfg`),
  ];
}

/**
 * A keyring over the files of {@link dockerConfigPaths}. Missing files are
 * skipped silently; unreadable or malformed ones are logged (once per
 * distinct problem) and skipped.
 */
export function dockerKeyring(
  platform: Pick<Platform, "readTextFile" | "stat" | "env">,
  rootDir: string,
  log?: Pick<Logger, "warn">,
): Keyring {
  const reported = new Set<string>();
  const warn = (message: string) => {
    if (!reported.has(message)) (reported.add(message), log?.warn(message));
  };
  return async (image) => {
    const all: RegistryCredential[] = [];
    for (const path of dockerConfigPaths(rootDir, platform.env)) {
      try {
        const info = await platform.stat(path);
        if (!info?.isFile) continue;
        if (info.size > MAX_CONFIG_BYTES) {
          warn(`registry credentials: ${path} is larger than ${MAX_CONFIG_BYTES} bytes; skipped`);
          continue;
        }
        all.push(...parseDockerConfig(await platform.readTextFile(path)));
      } catch (error) {
        warn(`registry credentials: cannot read ${path}: ${(error as Error).message}`);
      }
    }
    return lookupCredentials(all, image);
  };
}
