/**
 * The CLI's subcommands besides running the kubelet: `pods`, `logs`,
 * `validate` and `kubeconfig`, registered on the cac instance of `src/cli.ts`.
 *
 * @module
 */
import type { CAC } from "cac";
import type { Platform } from "../platform/types.ts";
import type { CliIo } from "./io.ts";
import { runLogs } from "./logs.ts";
import { runPods } from "./pods.ts";
import { CliError, DEFAULT_SERVER } from "./server.ts";
import { runValidate } from "./validate.ts";
import { runExec } from "./exec.ts";
import { dockerClientFor } from "../run.ts";
import { DEFAULT_DOCKER_ENDPOINT } from "../docker/transport.ts";
import { DockerError } from "../docker/docker_error.ts";
import { runKubeconfig } from "./kubeconfig.ts";
import { fieldWarningMessages } from "../manifest/field_warnings.ts";

type Options = Record<string, unknown>;

/** Runs a subcommand, printing a CliError as `error: ...` with exit code 1. */
async function guarded(io: CliIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    // kubectl prints the server's refusals as they are, and its own failures after "error: ".
    await io.err(
      error.message.startsWith("Error from server") ? `${error.message}\n` : `error: ${error.message}\n`,
    );
    return 1;
  }
}

const text = (v: unknown) => v === undefined || v === null || v === true ? undefined : String(v);

function integer(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new CliError(`${flag}: ${JSON.stringify(v)} is not an integer`);
  return n;
}

/** Adds the subcommands to `cli`; the one parsed hands its run to `setAction`. */
export function registerCommands(
  cli: CAC,
  platform: Platform,
  io: CliIo,
  setAction: (run: () => Promise<number>) => void,
): void {
  const server = [
    "--server <url>",
    `The kubelet's read-only status server (default: ${DEFAULT_SERVER})`,
  ] as const;
  cli.command("pods", "List the node's pods as kubectl get pods does")
    .option(...server)
    .option("-o, --output <format>", "Output format: json, yaml, wide or name")
    .option("-n, --namespace <namespace>", "Only pods of this namespace (default: all)")
    .option("-l, --selector <selector>", "Only pods whose labels match (app=web, tier in (a,b), !canary)")
    .option("--no-headers", "Leave out the table's header")
    .example("  $ kubelet pods")
    .example("  $ kubelet pods -o yaml -n kube-system")
    .example("  $ kubelet pods -l component=etcd -o name")
    .action((options: Options) =>
      setAction(() =>
        guarded(io, () =>
          runPods(io, {
            server: text(options.server) ?? DEFAULT_SERVER,
            output: text(options.output),
            namespace: text(options.namespace),
            selector: text(options.selector),
            noHeaders: options.headers === false,
          }))
      )
    );
  cli.command("logs <pod>", "Print a container's log (POD is the pod's name, or its name in the manifest)")
    .option(...server)
    .option(
      "-c, --container <name>",
      "The container (default: the one the kubectl.kubernetes.io/default-container annotation names, else the first)",
    )
    .option("--all-containers", "Every container of the pod, init containers first")
    .option("--prefix", "Prefix each line with [pod/NAME/CONTAINER]")
    .option("-n, --namespace <namespace>", "The pod's namespace (default: any)")
    .option("-f, --follow", "Keep streaming new lines")
    .option("-p, --previous", "The previous, terminated instance of the container")
    .option("--tail <lines>", "Lines from the end to show (default: all)", { default: -1 })
    .option("--timestamps", "Prefix each line with its RFC 3339 timestamp")
    .option("--since <duration>", "Only lines newer than this (5s, 2m, 1h)")
    .option("--limit-bytes <bytes>", "Stop after this many bytes")
    .example("  $ kubelet logs etcd --tail 20")
    .example("  $ kubelet logs kube-apiserver -c kube-apiserver -f --since 5m")
    .example("  $ kubelet logs web --all-containers --prefix")
    .action((pod: string, options: Options) =>
      setAction(() =>
        guarded(io, () =>
          runLogs(io, {
            server: text(options.server) ?? DEFAULT_SERVER,
            pod,
            container: text(options.container),
            namespace: text(options.namespace),
            follow: options.follow === true,
            previous: options.previous === true,
            tail: integer(options.tail, "--tail"),
            timestamps: options.timestamps === true,
            since: text(options.since),
            limitBytes: integer(options.limitBytes, "--limit-bytes"),
            allContainers: options.allContainers === true,
            prefix: options.prefix === true,
          }))
      )
    );
  cli.command("exec <pod>", "Run a command in a pod's container through the local Docker Engine")
    .usage("exec POD [-c CONTAINER] [-i] [-t] -- COMMAND [ARG...]")
    .option(...server)
    .option(
      "--docker-endpoint <url>",
      "Docker Engine endpoint (default: $DOCKER_HOST, else unix:///var/run/docker.sock)",
    )
    .option(
      "-c, --container <name>",
      "The container (default: the one the kubectl.kubernetes.io/default-container annotation names, else the first)",
    )
    .option("-n, --namespace <namespace>", "The pod's namespace (default: any)")
    .option("-i, --stdin", "Pass standard input to the command (always when it is a terminal)")
    .option("-t, --tty", "Give the command a TTY (when standard input is a terminal, it gets one anyway)")
    .example("  $ kubelet exec etcd -- etcdctl endpoint health")
    .example("  $ kubelet exec web -c nginx -- nginx -t")
    .example("  $ echo hello | kubelet exec web -i -- cat")
    .action((pod: string, options: Options) =>
      setAction(() =>
        guarded(io, async () => {
          const endpoint = text(options.dockerEndpoint) ?? platform.env("DOCKER_HOST") ??
            DEFAULT_DOCKER_ENDPOINT;
          let docker;
          try {
            docker = dockerClientFor(platform, endpoint);
          } catch (error) {
            throw new CliError((error as Error).message);
          }
          try {
            return await runExec(io, platform, docker, {
              server: text(options.server) ?? DEFAULT_SERVER,
              pod,
              container: text(options.container),
              namespace: text(options.namespace),
              command: ((options["--"] ?? []) as unknown[]).map(String),
              stdin: options.stdin === true,
              tty: options.tty === true,
            });
          } catch (error) {
            if (error instanceof DockerError) throw new CliError(error.message);
            throw error;
          }
        })
      )
    );
  cli.command("kubeconfig", "Print a kubeconfig for kubectl that reads the status server")
    .option(...server)
    .option("--name <name>", "Name of the cluster, user and context", { default: "standalone-kubelet" })
    .action((options: Options) =>
      setAction(() =>
        guarded(io, () => runKubeconfig(io, { server: String(options.server), name: String(options.name) }))
      )
    );
  cli.command("validate <...paths>", "Check manifest files or directories as the kubelet reads them")
    .example("  $ kubelet validate /etc/kubernetes/manifests")
    .example("  $ kubelet validate etcd.yaml kube-apiserver.yaml")
    .action((paths: string[]) => setAction(() => runValidate(io, platform, paths, [fieldWarningMessages])));
}
