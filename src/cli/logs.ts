/**
 * `kubelet logs POD [-c CONTAINER | --all-containers] [--prefix] [-f]
 * [--previous] [--tail N]`: a container's log from the status server, as
 * `kubectl logs` prints it. Without `-c`, the container the pod's
 * `kubectl.kubernetes.io/default-container` annotation names, else the
 * first.
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
  /** Every container: init containers, then containers (followed at once with `follow`). */
  allContainers?: boolean;
  /** Prefix each line with `[pod/NAME/CONTAINER] `. */
  prefix?: boolean;
  signal?: AbortSignal;
}

/** The annotation naming the container `kubectl logs` and `exec` pick without `-c`. */
export const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

/**
 * The container to use when none is named: the one the pod's
 * default-container annotation names, if the pod has it, else the first
 * (with kubectl's note, to print on stderr, when there are several).
 */
export function defaultContainer(pod: Pod): { name: string; note?: string } {
  const names = pod.spec.containers.map((c) => c.name);
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated !== undefined && names.includes(annotated)) return { name: annotated };
  const note = names.length > 1
    ? `Defaulted container "${names[0]}" out of: ${names.join(", ")}\n`
    : undefined;
  return { name: names[0], note };
}

/** Copies `body` to `io` a line at a time, each line after `prefix`; a last line without newline is kept whole. */
async function writePrefixed(io: CliIo, body: AsyncIterable<Uint8Array>, prefix: string): Promise<void> {
  const encoder = new TextEncoder();
  const head = encoder.encode(prefix);
  let pending: Uint8Array[] = [];
  const flush = async (line: Uint8Array[]) => {
    const size = head.length + line.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(size);
    out.set(head);
    let at = head.length;
    for (const c of line) out.set(c, at), at += c.length;
    await io.write(out);
  };
  for await (const chunk of body) {
    let start = 0;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, i + 1));
      await flush(pending);
      pending = [];
      start = i + 1;
    }
    if (start < chunk.length) pending.push(chunk.slice(start));
  }
  if (pending.length) await flush(pending);
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
  if (options.allContainers && options.container !== undefined) {
    throw new CliError("--all-containers=true should not be specified with container name");
  }
  let containers: string[];
  if (options.allContainers) {
    containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => c.name);
  } else if (options.container !== undefined) containers = [options.container];
  else {
    const chosen = defaultContainer(pod);
    if (chosen.note) await io.err(chosen.note);
    containers = [chosen.name];
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
  const open = async (container: string) => {
    const path = [pod.metadata.namespace, pod.metadata.name, container].map((s) =>
      encodeURIComponent(s ?? "")
    )
      .join("/");
    const res = await get(io, options.server, `/containerLogs/${path}?${query}`, options.signal);
    if (!res.ok) {
      const kind = { 400: "BadRequest", 404: "NotFound", 422: "Invalid" }[res.status] ??
        `status ${res.status}`;
      throw new CliError(`Error from server (${kind}): ${(await res.text()).trim()}`);
    }
    return res.body! as unknown as AsyncIterable<Uint8Array>;
  };
  const copy = async (container: string, body: AsyncIterable<Uint8Array>) => {
    try {
      if (options.prefix) await writePrefixed(io, body, `[pod/${pod.metadata.name}/${container}] `);
      else for await (const chunk of body) await io.write(chunk);
    } catch (error) {
      // Interrupted (-f and Ctrl-C): what arrived was printed.
      if ((error as Error).name !== "AbortError") throw error;
    }
  };
  if (options.follow && containers.length > 1) {
    // Followed streams never end, so they run side by side (whole lines each, with --prefix).
    const bodies = await Promise.all(containers.map(open));
    await Promise.all(containers.map((c, i) => copy(c, bodies[i])));
  } else {
    for (const container of containers) await copy(container, await open(container));
  }
  return 0;
}
