/**
 * The command line: the kubelet's flags (via cac), given argv explicitly.
 * Start-up flags belong to the run command (`kubelet [flags]`); the
 * subcommands have their own.
 *
 * @module
 */
import { cac } from "cac";
import { FlagError } from "./flags/flag_error.ts";
import { addRunOptions, parseRunFlags } from "./flags/run_options.ts";
import { createLogger } from "./log.ts";
import type { Platform } from "./platform/types.ts";
import { runKubelet } from "./run.ts";
import { longVersion, shortVersion } from "./version.ts";
import { registerCommands } from "./cli/commands.ts";
import { type CliIo, processIo } from "./cli/io.ts";
import { stripUnimplementedFlags } from "./flags/unimplemented_flags.ts";
import { unknownCommandMessage } from "./cli/unknown_command.ts";
import { loadStartupOptions } from "./kubeletconfig/load_config.ts";

/** A usage error: printed as `kubelet: ...`, exit code 2. */
const isUsageError = (error: unknown) => error instanceof FlagError;

/** Runs the CLI with `args` (no program name); resolves the exit code. */
export async function runCli(args: string[], platform: Platform, io: CliIo = processIo()): Promise<number> {
  const usage = async (message: string) => (await io.err(`kubelet: ${message}\n`), 2);
  const cli = cac("kubelet");
  let action: (() => Promise<number>) | undefined;
  let ignoredFlags: string[] = [];
  const setAction = (run: () => Promise<number>) => (action = run);
  const run = cli
    .command("", "Keep the pods of a manifest directory or URL running on the local Docker Engine")
    .usage("[flags]");
  addRunOptions(run);
  run
    .example("  $ kubelet --pod-manifest-path /etc/kubernetes/manifests")
    .example("  $ kubelet --config /var/lib/kubelet/config.yaml --kubeconfig /etc/kubernetes/kubelet.conf")
    .example("  $ kubelet --manifest-url http://127.0.0.1:8080/pods --runonce")
    .action((options: Record<string, unknown>) =>
      setAction(() => startKubelet(options, cli.args, platform, io, ignoredFlags, commandNames))
    );
  registerCommands(cli, platform, io, setAction);
  cli.command("version", "Print the version in full, with the runtime that runs it")
    .example("  $ kubelet version")
    .action(() => setAction(async () => (await io.out(`${longVersion(platform)}\n`), 0)));
  const commandNames = cli.commands.map((c) => c.name).filter(Boolean);
  cli.option("--version", "Print the version in the kubelet's form (Kubernetes vX.Y.Z-...) and exit");
  // cac lists the run command with an empty name; show its usage there instead.
  cli.help((sections) =>
    sections.map((section) =>
      section.title === "Commands"
        ? { ...section, body: section.body.replace(/^ {2} {7}( *Keep the pods)/m, "  [flags]$1") }
        : section
    )
  );

  try {
    // Subcommands have flags of their own; the kubelet's unimplemented flags concern the run command.
    if (!commandNames.includes(args[0])) {
      const stripped = stripUnimplementedFlags(args);
      args = stripped.args;
      ignoredFlags = stripped.warnings;
    }
    cli.parse(["kubelet", "kubelet", ...args]);
  } catch (error) {
    // Parsing only reads flags (actions run below), so whatever it throws is a usage error.
    return await usage((error as Error).message);
  }
  if (cli.options.help) return 0;
  if (cli.options.version) return await io.out(`${shortVersion()}\n`), 0;
  return action ? await action() : 0;
}

/** The run command: refuses stray words, reads --config, then runs the kubelet. */
async function startKubelet(
  options: Record<string, unknown>,
  positional: readonly string[],
  platform: Platform,
  io: CliIo,
  ignoredFlags: string[],
  commandNames: string[],
): Promise<number> {
  // `kubelet pod` (for `pods`) must not start a kubelet with no source, which would stop every pod.
  if (positional.length) {
    return await io.err(`kubelet: ${unknownCommandMessage(positional[0], commandNames)}\n`), 2;
  }
  let loaded, flags, logFlags;
  try {
    loaded = await loadStartupOptions(platform, options);
    ({ flags, log: logFlags } = parseRunFlags(loaded.options, platform.env, platform.hostname()));
  } catch (error) {
    if (!isUsageError(error)) throw error;
    return await io.err(`kubelet: ${(error as Error).message}\n`), 2;
  }
  const log = createLogger({ ...logFlags, pid: platform.pid() });
  for (const warning of [...ignoredFlags, ...loaded.warnings]) log.warn(warning);
  return await runKubelet(flags, platform, log);
}
