/**
 * `kubelet exec POD [-c CONTAINER] [-i] [-t] -- COMMAND...`: runs a command
 * in a pod's container through the local Docker Engine, as `kubectl exec`
 * does through the API server. The pod is found on the status server (as
 * `logs` finds it, with the default-container annotation); the command runs
 * on the Engine directly. It is not served over HTTP: whoever runs it needs
 * the Engine's socket.
 *
 * Standard input is passed with `-i`, or whenever it is a terminal; with a
 * terminal (or `-t`) the command gets a TTY and the terminal is put in raw
 * mode meanwhile. The command's exit code is the CLI's.
 *
 * @module
 */
import type { DockerClient } from "../docker/client.ts";
import { demux } from "../docker/demux.ts";
import { hijack } from "../docker/hijack.ts";
import { LABEL_CONTAINER_NAME, LABEL_POD_NAME, LABEL_POD_NAMESPACE } from "../runtime/labels.ts";
import type { Platform } from "../platform/types.ts";
import type { CliIo } from "./io.ts";
import { defaultContainer, findPod } from "./logs.ts";
import { CliError, getPods } from "./server.ts";

export interface ExecOptions {
  server: string;
  pod: string;
  container?: string;
  namespace?: string;
  command: string[];
  /** Pass standard input (`-i`); also on when it is a terminal. */
  stdin?: boolean;
  /** Ask for a TTY (`-t`); on when standard input is a terminal. */
  tty?: boolean;
}

/** Runs the command; resolves its exit code. @throws {CliError} */
export async function runExec(
  io: CliIo,
  platform: Pick<Platform, "connect" | "stdin">,
  docker: DockerClient,
  options: ExecOptions,
): Promise<number> {
  if (options.command.length === 0) {
    throw new CliError("you must specify at least one command for the container (after --)");
  }
  const pod = findPod((await getPods(io, options.server)).items, options.pod, options.namespace);
  let container = options.container;
  if (container === undefined) {
    const chosen = defaultContainer(pod);
    if (chosen.note) await io.err(chosen.note);
    container = chosen.name;
  }
  if (![...(pod.spec.initContainers ?? []), ...pod.spec.containers].some((c) => c.name === container)) {
    throw new CliError(`container ${container} not found in pod ${pod.metadata.name}`);
  }
  const running = (await docker.listContainers([
    `${LABEL_POD_NAME}=${pod.metadata.name}`,
    `${LABEL_POD_NAMESPACE}=${pod.metadata.namespace}`,
    `${LABEL_CONTAINER_NAME}=${container}`,
  ])).filter((c) => c.State === "running");
  if (running.length === 0) {
    throw new CliError(`container ${container} in pod ${pod.metadata.name} is not running`);
  }
  const terminal = platform.stdin.isTerminal();
  let tty = options.tty === true || terminal;
  if (tty && !terminal) {
    await io.err("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    tty = false;
  }
  const attachStdin = options.stdin === true || terminal;

  const created = await docker.transport.request("POST", `/containers/${running[0].Id}/exec`, {
    body: {
      Cmd: options.command,
      AttachStdin: attachStdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: tty,
    },
  });
  const execId: string = (await created.json()).Id;
  const endpoint = docker.transport.endpoint;
  const conn = await platform.connect(
    endpoint.socketPath
      ? { path: endpoint.socketPath }
      : { hostname: new URL(endpoint.base).hostname, port: Number(new URL(endpoint.base).port || 2375) },
  );
  try {
    const output = await hijack(conn, `/v${docker.transport.version}/exec/${execId}/start`, {
      Detach: false,
      Tty: tty,
    });
    if (tty) {
      const size = platform.stdin.size();
      if (size) {
        await docker.transport.request("POST", `/exec/${execId}/resize`, {
          query: { h: size.rows, w: size.columns },
        }).then((r) => r.body?.cancel()).catch(() => {});
      }
      platform.stdin.setRaw(true);
    }
    try {
      if (attachStdin) void pumpStdin(platform.stdin.readable(), conn);
      if (tty) { for await (const chunk of output) await io.write(chunk); }
      else {
        const stderr = new TextDecoder();
        const frames = demux(output).getReader();
        for (let r = await frames.read(); !r.done; r = await frames.read()) {
          if (r.value.stream === "stderr") await io.err(stderr.decode(r.value.data, { stream: true }));
          else await io.write(r.value.data);
        }
      }
    } finally {
      if (tty) platform.stdin.setRaw(false);
    }
  } finally {
    conn.close();
  }
  const inspect = await (await docker.transport.request("GET", `/exec/${execId}/json`)).json();
  return typeof inspect.ExitCode === "number" ? inspect.ExitCode : 1;
}

/** Copies standard input to the process; at its end, half-closes so the process sees end of input. */
async function pumpStdin(
  stdin: ReadableStream<Uint8Array>,
  conn: { write(b: Uint8Array): Promise<void>; closeWrite(): Promise<void> },
): Promise<void> {
  try {
    for await (const chunk of stdin as unknown as AsyncIterable<Uint8Array>) await conn.write(chunk);
    await conn.closeWrite();
  } catch { /* the process ended first and the connection is closed */ }
}
