/**
 * The run command's flags (`kubelet [flags]`), declared for cac and parsed, in one place: the
 * options cac reads, then {@linkcode parseRunFlags} turning what it gave (merged with a
 * `--config` file's fields) into the kubelet's flags and the log's.
 *
 * Defaults are in the descriptions, not cac's config: an option not given stays undefined, so a
 * configuration file (`--config`) can fill it in and flags on the command line override the file.
 *
 * @module
 */
import { FLAG_DEFAULTS, type KubeletFlags, parseFlags } from "./flags.ts";
import { addBootstrapOptions } from "./flags_bootstrap.ts";
import { type LogFlags, parseLogFlags } from "./log_flags.ts";

/** The run command's own options: `[raw, description]`, as cac's `option` takes them. */
const RUN_OPTIONS: [raw: string, description: string][] = [
  ["--config <file>", "KubeletConfiguration file (kubelet.config.k8s.io/v1beta1); flags override its fields"],
  ["--pod-manifest-path <path>", "Manifest file or directory of static pods"],
  ["--allow-no-sources", "Start with no manifest path or URL: every pod of this node is then stopped"],
  [
    "--file-check-frequency <duration>",
    `How often to re-read the manifest path; it is also watched (default: ${FLAG_DEFAULTS.fileCheckFrequency})`,
  ],
  ["--sync-frequency <duration>", `Full resync of every pod (default: ${FLAG_DEFAULTS.syncFrequency})`],
  ["--hostname-override <name>", "Node name (default: the lower-cased host name)"],
  [
    "--docker-endpoint <url>",
    "Docker Engine endpoint (default: $DOCKER_HOST, else unix:///var/run/docker.sock)",
  ],
  [
    "--read-only-port <port>",
    `Port of the read-only status server; 0 turns it off (default: ${FLAG_DEFAULTS.readOnlyPort})`,
  ],
  ["--address <ip>", `Address the status server binds to (default: ${FLAG_DEFAULTS.address})`],
  [
    "--healthz-port <port>",
    `Port of the /healthz listener; 0 turns it off (default: ${FLAG_DEFAULTS.healthzPort})`,
  ],
  [
    "--healthz-bind-address <ip>",
    `Address the /healthz listener binds to (default: ${FLAG_DEFAULTS.healthzBindAddress})`,
  ],
  ["--root-dir <path>", `Directory for pod volumes (default: ${FLAG_DEFAULTS.rootDir})`],
  [
    "--pod-infra-container-image <image>",
    `Image of each pod's infra container, built in when missing (default: ${FLAG_DEFAULTS.podInfraContainerImage})`,
  ],
  [
    "--logging-format, --log-format <format>",
    "Format of the kubelet's own log: text (klog) or json (component-base) (default: text)",
  ],
  ["-v, --v <level>", "Log verbosity: 2, 4 and 6 add detail (default: 0)"],
];

/** Declares every flag of the run command on `command` (a cac command). */
export function addRunOptions(
  command: { option(raw: string, description: string, config?: { default?: unknown }): unknown },
): void {
  for (const [raw, description] of RUN_OPTIONS) command.option(raw, description);
  addBootstrapOptions(command);
}

/**
 * The kubelet's flags and the log's, from cac's options (camel-cased, a `--config` file's
 * fields merged in).
 *
 * @throws {FlagError} naming the flag when a value is bad
 */
export function parseRunFlags(
  options: Record<string, unknown>,
  env: (name: string) => string | undefined,
  hostname: string,
): { flags: KubeletFlags; log: LogFlags } {
  return { log: parseLogFlags(options), flags: parseFlags(options, env, hostname) };
}
