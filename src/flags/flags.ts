/**
 * The kubelet's command-line flags: names, defaults and validation, as a
 * pure function from what the argument parser gives to typed settings.
 *
 * @module
 */
import { parseDuration } from "../duration.ts";
import { FlagError } from "./flag_error.ts";
import { DEFAULT_DOCKER_ENDPOINT } from "../docker/transport.ts";
import { DEFAULT_PAUSE_IMAGE } from "../runtime/pause_image.ts";
import { type BootstrapFlags, parseBootstrapFlags } from "./flags_bootstrap.ts";

/** The settings the flags give. */
export interface KubeletFlags extends BootstrapFlags {
  /** Manifest file or directory (`--pod-manifest-path`, `staticPodPath`); undefined: no file source. */
  manifestPath?: string;
  fileCheckFrequencyMs: number;
  syncFrequencyMs: number;
  nodeName: string;
  dockerEndpoint: string;
  /** 0 turns the status server off. */
  readOnlyPort: number;
  address: string;
  /** Port of the `/healthz` listener; 0 turns it off. */
  healthzPort: number;
  healthzBindAddress: string;
  rootDir: string;
  podInfraContainerImage: string;
}

/** Flag defaults, as `--help` shows them. */
export const FLAG_DEFAULTS = {
  fileCheckFrequency: "20s",
  syncFrequency: "1m",
  readOnlyPort: 10255,
  address: "127.0.0.1",
  healthzPort: 10248,
  healthzBindAddress: "127.0.0.1",
  rootDir: "/var/lib/kubelet",
  podInfraContainerImage: DEFAULT_PAUSE_IMAGE,
};

function duration(name: string, value: unknown): number {
  try {
    return parseDuration(String(value));
  } catch (error) {
    throw new FlagError(`--${name}: ${(error as Error).message}`);
  }
}

function portFlag(name: string, value: unknown): number {
  const port = Number(value);
  if (typeof value === "boolean" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new FlagError(`--${name}: ${JSON.stringify(value)} is not a port (0-65535)`);
  }
  return port;
}

function text(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (value === true || Array.isArray(value)) throw new FlagError(`--${name}: expected one value`);
  return String(value);
}

/**
 * Turns parsed options into settings.
 *
 * @param options camel-cased options as cac gives them
 * @param env reads environment variables (`DOCKER_HOST`)
 * @param hostname the machine's host name, for the node name
 * @throws {FlagError} naming the flag when a value is bad
 */
export function parseFlags(
  options: Record<string, unknown>,
  env: (name: string) => string | undefined,
  hostname: string,
): KubeletFlags {
  const port = portFlag("read-only-port", options.readOnlyPort ?? FLAG_DEFAULTS.readOnlyPort);
  const nodeName = (text("hostname-override", options.hostnameOverride) ?? hostname).trim().toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(nodeName)) {
    throw new FlagError(
      `--hostname-override: ${JSON.stringify(nodeName)} is not a valid node name (DNS subdomain)`,
    );
  }
  const rootDir = text("root-dir", options.rootDir) ?? FLAG_DEFAULTS.rootDir;
  if (!rootDir.startsWith("/")) {
    throw new FlagError(`--root-dir: ${JSON.stringify(rootDir)} must be an absolute path`);
  }
  const fileCheck = duration(
    "file-check-frequency",
    options.fileCheckFrequency ?? FLAG_DEFAULTS.fileCheckFrequency,
  );
  const sync = duration("sync-frequency", options.syncFrequency ?? FLAG_DEFAULTS.syncFrequency);
  if (sync <= 0) throw new FlagError(`--sync-frequency: must be greater than 0`);
  const manifestPath = text("pod-manifest-path", options.podManifestPath);
  const bootstrap = parseBootstrapFlags(options);
  // With no source at all every pod of this node counts as removed: a typo must not tear the node down.
  if (!manifestPath && !bootstrap.manifestUrl && options.allowNoSources !== true) {
    throw new FlagError(
      "no pod source: give --pod-manifest-path, --manifest-url or --config with staticPodPath (--allow-no-sources starts without one, stopping every pod of this node)",
    );
  }
  return {
    manifestPath,
    fileCheckFrequencyMs: fileCheck,
    syncFrequencyMs: sync,
    nodeName,
    dockerEndpoint: text("docker-endpoint", options.dockerEndpoint) ?? env("DOCKER_HOST") ??
      DEFAULT_DOCKER_ENDPOINT,
    readOnlyPort: port,
    address: text("address", options.address) ?? FLAG_DEFAULTS.address,
    healthzPort: portFlag("healthz-port", options.healthzPort ?? FLAG_DEFAULTS.healthzPort),
    healthzBindAddress: text("healthz-bind-address", options.healthzBindAddress) ??
      FLAG_DEFAULTS.healthzBindAddress,
    rootDir: rootDir.replace(/\/+$/, "") || "/",
    podInfraContainerImage: text("pod-infra-container-image", options.podInfraContainerImage) ??
      FLAG_DEFAULTS.podInfraContainerImage,
    ...bootstrap,
  };
}
