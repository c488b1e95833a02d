/**
 * `kubelet logs POD [-c CONTAINER] [-f] [--previous] [--tail N]`: a
 * container's log from the status server, as `kubectl logs` prints it.
 *
 * @module
 */
import type { Pod } from "../api/types.ts";
import { parseDuration } from "../duration.ts";
import type { CliIo } from "./io.ts";
import { CliError, get, getPods } from "./server.ts";

export interface LogsOptions {
  server: string;
  pod: string;
  container?: string;
  /** Only this namespace; any namespace when undefined (the name must then be unique). */
  namespace?: string;
  follow?: boolean;
  previous?: boolean;
  /** Lines from the end; all when negative or undefined. */
  tail?: number;
  timestamps?: boolean;
  /** A duration (`5s`, `2m`, `1h`): only newer lines. */
  since?: string;
  limitBytes?: number;
  signal?: AbortSignal;
}

/**
 * Finds the pod: by its name, or by the name in its manifest (`web` for the
 * static pod `web-<node>`).
 *
 * @throws {CliError} when no pod, or more than one, matches.
 */
export function findPod(pods: Pod[], name: string, namespace?: string): Pod {
  const inNs = pods.filter((p) => namespace === undefined || p.metadata.namespace === namespace);
  let found = inNs.filter((p) => p.metadata.name === name);
  if (found.length === 0) found = inNs.filter((p) => p.metadata.name === `${name}-${p.spec.nodeName}`);
  if (found.length === 0) throw new CliError(`pods "${name}" not found`);
  if (found.length > 1) {
    throw new CliError(
      `pod "${name}" is in more than one namespace (${
        found.map((p) => p.metadata.namespace).join(", ")
      }): choose one with -n`,
    );
  }
  return found[0];
}

/** Streams the log to `io`; resolves the exit code. @throws {CliError} */
export async function runLogs(io: CliIo, options: LogsOptions): Promise<number> {
  const pod = findPod((await getPods(io, options.server)).items, options.pod, options.namespace);
  const names = pod.spec.containers.map((c) => c.name);
  let container = options.container;
  if (container === undefined) {
    container = names[0];
    if (names.length > 1) await io.err(`Defaulted container "${container}" out of: ${names.join(", ")}\n`);
  }
  const query = new URLSearchParams();
  if (options.follow) query.set("follow", "true");
  if (options.previous) query.set("previous", "true");
  if (options.timestamps) query.set("timestamps", "true");
  if (options.tail !== undefined && options.tail >= 0) query.set("tailLines", String(options.tail));
  if (options.limitBytes !== undefined) query.set("limitBytes", String(options.limitBytes));
  if (options.since !== undefined) {
    let ms: number;
    try {
      ms = parseDuration(options.since);
    } catch (error) {
      throw new CliError(`--since: ${(error as Error).message}`);
    }
    query.set("sinceSeconds", String(Math.max(1, Math.ceil(ms / 1000))));
  }
  const path = [pod.metadata.namespace, pod.metadata.name, container].map((s) => encodeURIComponent(s ?? ""))
    .join("/");
  const res = await get(io, options.server, `/containerLogs/${path}?${query}`, options.signal);
  if (!res.ok) {
    const kind = { 400: "BadRequest", 404: "NotFound", 422: "Invalid" }[res.status] ?? `status ${res.status}`;
    throw new CliError(`Error from server (${kind}): ${(await res.text()).trim()}`);
  }
  try {
    for await (const chunk of res.body! as unknown as AsyncIterable<Uint8Array>) await io.write(chunk);
  } catch (error) {
    // Interrupted (-f and Ctrl-C): what arrived was printed.
    if ((error as Error).name !== "AbortError") throw error;
  }
  return 0;
}
