/**
 * `/containerLogs/{namespace}/{pod}/{container}`: a container's log,
 * streamed from the Engine and demultiplexed, with the query parameters of
 * the kubelet's `PodLogOptions` (`tailLines`, `follow`, `previous`,
 * `timestamps`, `sinceSeconds`, `sinceTime`, `limitBytes`) and the
 * kubelet's status codes and messages.
 *
 * @module
 */
import type { Pod, PodList } from "../api/types.ts";
import type { DockerClient } from "../docker/client.ts";
import { DockerError } from "../docker/docker_error.ts";
import { demultiplex, limitBytes } from "../docker/log_stream.ts";
import { nanoTimestamps } from "./log_timestamps.ts";

/** The log options of a request, decoded and validated. */
export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** Seconds since the epoch. */
  sinceTime?: number;
  limitBytes?: number;
}

/** Why a request cannot be served: an HTTP status and the kubelet's message. */
export class LogRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "LogRequestError";
  }
}

const BOOL: Record<string, boolean> = {
  "1": true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  "0": false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false,
};

/**
 * Decodes the query as the kubelet decodes `PodLogOptions`: 400 when a value
 * does not parse, 422 when the options are invalid. `tail` is the old name
 * of `tailLines` (`tail=all` means no limit).
 *
 * @throws {LogRequestError}
 */
export function parseLogOptions(query: URLSearchParams): LogOptions {
  const undecodable = () => new LogRequestError(400, '{"message": "Unable to decode query."}');
  const bool = (name: string) => {
    const v = query.get(name);
    if (v === null || v === "") return false;
    if (!(v in BOOL)) throw undecodable();
    return BOOL[v];
  };
  const int = (name: string) => {
    const v = query.get(name);
    if (v === null || v === "") return undefined;
    if (!/^[-+]?\d+$/.test(v)) throw undecodable();
    return Number(v);
  };
  const tail = query.get("tail");
  if (tail !== null && tail !== "") {
    query = new URLSearchParams(query);
    if (tail === "all") query.delete("tailLines");
    else query.set("tailLines", tail);
  }
  const options: LogOptions = {
    follow: bool("follow"),
    previous: bool("previous"),
    timestamps: bool("timestamps"),
    tailLines: int("tailLines"),
    sinceSeconds: int("sinceSeconds"),
    limitBytes: int("limitBytes"),
  };
  const sinceTime = query.get("sinceTime");
  if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t) || !/^\d{4}-\d\d-\d\dT/.test(sinceTime)) throw undecodable();
    options.sinceTime = t / 1000;
  }
  const invalid = (options.tailLines !== undefined && options.tailLines < 0) ||
    (options.limitBytes !== undefined && options.limitBytes < 1) ||
    (options.sinceSeconds !== undefined && options.sinceSeconds < 1) ||
    (options.sinceSeconds !== undefined && options.sinceTime !== undefined);
  if (invalid) throw new LogRequestError(422, '{"message": "Invalid request."}');
  return options;
}

/**
 * The ID of the container whose log to read, from the pod's status, as the
 * kubelet's `validateContainerLogStatus` picks it: the previous instance is
 * `lastState.terminated`; otherwise the running one, else the last
 * terminated one.
 *
 * @throws {LogRequestError} 400 with the kubelet's message when there is none.
 */
export function logContainerId(pod: Pod, container: string, previous: boolean): string {
  const podName = pod.metadata.name;
  const s = pod.status?.containerStatuses?.find((c) => c.name === container) ??
    pod.status?.initContainerStatuses?.find((c) => c.name === container);
  const fail = (message: string) => new LogRequestError(400, message);
  if (!s) throw fail(`container "${container}" in pod "${podName}" is not available`);
  const last = s.lastState?.terminated;
  const id = (containerID: string | undefined) => containerID?.replace(/^[a-z]+:\/\//, "") ?? "";
  if (previous) {
    if (!last?.containerID) {
      throw fail(`previous terminated container "${container}" in pod "${podName}" not found`);
    }
    return id(last.containerID);
  }
  if (s.state.running) return id(s.containerID);
  const terminated = s.state.terminated;
  if (terminated) {
    if (terminated.containerID) return id(terminated.containerID);
    if (last?.containerID) return id(last.containerID);
    throw fail(`container "${container}" in pod "${podName}" is terminated`);
  }
  if (last) {
    if (!last.containerID) throw fail(`container "${container}" in pod "${podName}" is terminated`);
    return id(last.containerID);
  }
  const reason = s.state.waiting?.reason;
  if (reason === "ErrImagePull") {
    throw fail(`container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`);
  }
  if (reason === "ImagePullBackOff") {
    throw fail(
      `container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`,
    );
  }
  if (reason) throw fail(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
  throw fail(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}

/** What a log request names. */
export interface LogTarget {
  namespace: string;
  pod: string;
  container: string;
}

/**
 * Serves one log request: finds the pod in `pods` and the container in its
 * spec (404 otherwise), picks the instance, and streams its log.
 *
 * @param now the clock for `sinceSeconds`, in ms since the epoch
 * @throws {LogRequestError} with the status and message to answer
 */
export async function streamContainerLogs(
  docker: DockerClient,
  pods: PodList,
  target: LogTarget,
  query: URLSearchParams,
  signal?: AbortSignal,
  now = Date.now(),
): Promise<ReadableStream<Uint8Array>> {
  const options = parseLogOptions(query);
  const pod = pods.items.find((p) =>
    p.metadata.namespace === target.namespace && p.metadata.name === target.pod
  );
  if (!pod) throw new LogRequestError(404, `pod "${target.pod}" does not exist`);
  const specs = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  if (!specs.some((c) => c.name === target.container)) {
    throw new LogRequestError(404, `container "${target.container}" not found in pod "${target.pod}"`);
  }
  const id = logContainerId(pod, target.container, options.previous);
  let inspect;
  try {
    inspect = await docker.inspectContainer(id);
  } catch (error) {
    throw new LogRequestError(500, (error as Error).message);
  }
  if (!inspect) {
    throw new LogRequestError(
      400,
      `container "${target.container}" in pod "${target.pod}": the container is gone (${id.slice(0, 12)})`,
    );
  }
  const since = options.sinceSeconds !== undefined ? now / 1000 - options.sinceSeconds : options.sinceTime;
  let raw: ReadableStream<Uint8Array>;
  try {
    raw = await docker.containerLogs(id, {
      follow: options.follow,
      timestamps: options.timestamps,
      tail: options.tailLines,
      since,
    }, signal);
  } catch (error) {
    throw new LogRequestError(
      error instanceof DockerError && error.notFound ? 400 : 500,
      (error as Error).message,
    );
  }
  const tty = (inspect as { Config?: { Tty?: boolean } }).Config?.Tty === true;
  let out = tty ? raw : demultiplex(raw);
  if (options.timestamps && docker.engine.kind === "podman") out = nanoTimestamps(out);
  if (options.limitBytes !== undefined) out = limitBytes(out, options.limitBytes);
  return out;
}
