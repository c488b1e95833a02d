/**
 * The command line: the kubelet's flags (via cac), given argv explicitly.
 *
 * @module
 */
import { cac } from "cac";
import { FLAG_DEFAULTS, parseFlags } from "./flags.ts";
import { addBootstrapOptions } from "./flags_bootstrap.ts";
import { createLogger } from "./log.ts";
import type { Platform } from "./platform/types.ts";
import { runKubelet } from "./run.ts";
import { versionText } from "./version.ts";
import { registerCommands } from "./cli/commands.ts";
import { type CliIo, processIo } from "./cli/io.ts";
import { parseLogFlags } from "./cli/log_flags.ts";

/** Runs the CLI with `args` (no program name); resolves the exit code. */
export async function runCli(args: string[], platform: Platform, io: CliIo = processIo()): Promise<number> {
  const cli = cac("kubelet");
  addBootstrapOptions(cli);
  let action: (() => Promise<number>) | undefined;
  cli
    .command("", "Keep the pods of a manifest directory running on the local Docker Engine")
    .option("--config, --pod-manifest-path <path>", "Manifest file or directory of static pods")
    .option(
      "--file-check-frequency <duration>",
      "How often to re-read the manifest path (it is also watched)",
      {
        default: FLAG_DEFAULTS.fileCheckFrequency,
      },
    )
    .option("--sync-frequency <duration>", "Full resync of every pod", {
      default: FLAG_DEFAULTS.syncFrequency,
    })
    .option("--hostname-override <name>", "Node name (default: the lower-cased host name)")
    .option(
      "--docker-endpoint <url>",
      "Docker Engine endpoint (default: $DOCKER_HOST or unix:///var/run/docker.sock)",
    )
    .option("--read-only-port <port>", "Port of the read-only status server; 0 turns it off", {
      default: FLAG_DEFAULTS.readOnlyPort,
    })
    .option("--address <ip>", "Address the status server binds to", { default: FLAG_DEFAULTS.address })
    .option("--root-dir <path>", "Directory for pod volumes", { default: FLAG_DEFAULTS.rootDir })
    .option(
      "--pod-infra-container-image <image>",
      "Image of each pod's infra container (built in when missing)",
      {
        default: FLAG_DEFAULTS.podInfraContainerImage,
      },
    )
    .option(
      "--log-format <format>",
      "Format of the kubelet's own log: text (klog-like) or json (one object a line)",
      {
        default: "text",
      },
    )
    .option("-v, --v <level>", "Log verbosity: 0 the default; 2, 4 and 6 add detail", { default: 0 })
    .action((options: Record<string, unknown>) => {
      const flags = parseFlags(options, platform.env, platform.hostname());
      const logFlags = parseLogFlags(options);
      action = () => runKubelet(flags, platform, createLogger(logFlags));
    });
  registerCommands(cli, platform, io, (run) => (action = run));
  cli.command("version", "Print the version").action(() => {
    action = () => Promise.resolve((console.log(versionText()), 0));
  });
  cli.help();
  // --version only (-v is klog's verbosity), answered here rather than by cac's
  // cli.version(), which appends its own platform and Node version guesses.
  cli.option("--version", "Print the version and exit");
  try {
    const parsed = cli.parse(["kubelet", "kubelet", ...args]);
    if (parsed.options.version === true && !parsed.options.help) {
      await io.out(versionText() + "\n");
      return 0;
    }
  } catch (error) {
    // Parsing only reads flags (actions run below), so whatever it throws is a usage error.
    console.error(`kubelet: ${(error as Error).message}`);
    return 2;
  }
  return action ? await action() : 0;
}
