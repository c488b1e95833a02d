/**
 * Wraps the Engine client's fetch so that every API call lands in the
 * kubelet's runtime-operation metrics (count, latency, errors), and
 * containers the kubelet creates and starts are counted as it counts them.
 * The metrics and the container classifier are handed in from above (the
 * kubelet's metrics, the runtime's labels): the Engine client knows neither.
 *
 * Latency is the time to the response's headers: for streams (events, logs,
 * pulls) that is the time the Engine took to accept the request.
 *
 * @module
 */
import type { FetchFn } from "../platform/types.ts";

const OPERATIONS: [method: string, path: RegExp, operation: string][] = [
  ["GET", /^\/_ping$/, "version"],
  ["HEAD", /^\/_ping$/, "version"],
  ["GET", /^\/version$/, "version"],
  ["GET", /^\/info$/, "info"],
  ["GET", /^\/containers\/json$/, "list_containers"],
  ["POST", /^\/containers\/create$/, "create_container"],
  ["GET", /^\/containers\/[^/]+\/json$/, "inspect_container"],
  ["POST", /^\/containers\/[^/]+\/start$/, "start_container"],
  ["POST", /^\/containers\/[^/]+\/stop$/, "stop_container"],
  ["POST", /^\/containers\/[^/]+\/kill$/, "kill_container"],
  ["DELETE", /^\/containers\/[^/]+$/, "remove_container"],
  ["GET", /^\/containers\/[^/]+\/logs$/, "logs"],
  ["GET", /^\/containers\/[^/]+\/stats$/, "container_stats"],
  ["GET", /^\/containers\/[^/]+\/archive$/, "copy_from_container"],
  ["POST", /^\/containers\/[^/]+\/exec$/, "create_exec"],
  ["POST", /^\/exec\/[^/]+\/start$/, "start_exec"],
  ["GET", /^\/exec\/[^/]+\/json$/, "inspect_exec"],
  ["GET", /^\/images\/json$/, "list_images"],
  ["POST", /^\/images\/create$/, "pull_image"],
  ["GET", /^\/images\/.+\/json$/, "inspect_image"],
  ["DELETE", /^\/images\/.+$/, "remove_image"],
  ["GET", /^\/events$/, "events"],
  ["GET", /^\/volumes$/, "list_volumes"],
  ["POST", /^\/volumes\/create$/, "create_volume"],
  ["DELETE", /^\/volumes\/[^/]+$/, "remove_volume"],
];

/** The operation type of an Engine API call: `list_containers`, `start_container`, ... or `other`. */
export function operationType(method: string, url: string): string {
  const path = new URL(url).pathname.replace(/^\/v\d+\.\d+(?=\/)/, "");
  for (const [m, re, operation] of OPERATIONS) if (m === method && re.test(path)) return operation;
  return "other";
}

/** Where {@linkcode instrumentFetch} records Engine calls (the kubelet's metrics have this shape). */
export interface EngineCallMetrics<T> {
  /** One Engine API call, its latency in seconds, and whether it failed. */
  runtimeOperation(operation: string, seconds: number, failed: boolean): void;
  /** A container of type `type` is being created. */
  containerCreated(type: T): void;
  /** A container of type `type` could not be created or started (`CreateContainerError`, `RunContainerError`). */
  containerFailed(type: T, reason: string): void;
}

/**
 * A fetch that records each call in `metrics`; otherwise it behaves as `fetchFn`.
 * `containerType` names a create call's container type from its labels (undefined: not counted).
 */
export function instrumentFetch<T>(
  fetchFn: FetchFn,
  metrics: EngineCallMetrics<T>,
  containerType: (labels: Record<string, string> | undefined) => T | undefined,
  now = () => performance.now(),
): FetchFn {
  // Containers created but not started yet, by ID, so that a failed start is counted under its type.
  const created = new Map<string, T>();
  return async (request) => {
    const operation = operationType(request.method, request.url);
    let type: T | undefined;
    if (operation === "create_container") {
      type = containerType(await request.clone().json().then((b) => b?.Labels, () => undefined));
      if (type !== undefined) metrics.containerCreated(type);
    }
    const started = now();
    let response: Response;
    try {
      response = await fetchFn(request);
    } catch (error) {
      metrics.runtimeOperation(operation, (now() - started) / 1000, true);
      if (type !== undefined) metrics.containerFailed(type, "CreateContainerError");
      throw error;
    }
    const failed = response.status >= 400;
    metrics.runtimeOperation(operation, (now() - started) / 1000, failed);
    if (type !== undefined && failed) metrics.containerFailed(type, "CreateContainerError");
    else if (type !== undefined) {
      const id = await response.clone().json().then((b) => b?.Id as string | undefined, () => undefined);
      if (id) created.set(id, type);
    } else if (operation === "start_container") {
      const id = /\/containers\/([^/]+)\/start$/.exec(new URL(request.url).pathname)?.[1] ?? "";
      const startedType = created.get(id);
      created.delete(id);
      if (startedType !== undefined && failed && response.status !== 304) {
        metrics.containerFailed(startedType, "RunContainerError");
      }
    }
    return response;
  };
}
