/**
 * Wraps the Engine client's fetch so that every API call lands in the
 * kubelet's runtime-operation metrics (count, latency, errors), and
 * containers the kubelet creates and starts are counted as it counts them.
 *
 * Latency is the time to the response's headers: for streams (events, logs,
 * pulls) that is the time the Engine took to accept the request.
 *
 * @module
 */
import type { FetchFn } from "../platform/types.ts";
import type { ContainerType, KubeletMetrics } from "../metrics/kubelet_metrics.ts";
import { LABEL_CONTAINER_KIND, LABEL_TYPE } from "../runtime/labels.ts";

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

function containerType(labels: Record<string, string> | undefined): ContainerType | undefined {
  if (!labels?.[LABEL_TYPE]) return undefined;
  if (labels[LABEL_TYPE] === "podsandbox") return "podsandbox";
  return labels[LABEL_CONTAINER_KIND] === "init" ? "init_container" : "container";
}

/** A fetch that records each call in `metrics`; otherwise it behaves as `fetchFn`. */
export function instrumentFetch(
  fetchFn: FetchFn,
  metrics: KubeletMetrics,
  now = () => performance.now(),
): FetchFn {
  // Containers created but not started yet, by ID, so that a failed start is counted under its type.
  const created = new Map<string, ContainerType>();
  return async (request) => {
    const operation = operationType(request.method, request.url);
    let type: ContainerType | undefined;
    if (operation === "create_container") {
      type = containerType(await request.clone().json().then((b) => b?.Labels, () => undefined));
      if (type) metrics.containerCreated(type);
    }
    const started = now();
    let response: Response;
    try {
      response = await fetchFn(request);
    } catch (error) {
      metrics.runtimeOperation(operation, (now() - started) / 1000, true);
      if (type) metrics.containerFailed(type, "CreateContainerError");
      throw error;
    }
    const failed = response.status >= 400;
    metrics.runtimeOperation(operation, (now() - started) / 1000, failed);
    if (type && failed) metrics.containerFailed(type, "CreateContainerError");
    else if (type) {
      const id = await response.clone().json().then((b) => b?.Id as string | undefined, () => undefined);
      if (id) created.set(id, type);
    } else if (operation === "start_container") {
      const id = /\/containers\/([^/]+)\/start$/.exec(new URL(request.url).pathname)?.[1] ?? "";
      const startedType = created.get(id);
      created.delete(id);
      if (startedType && failed && response.status !== 304) {
        metrics.containerFailed(startedType, "RunContainerError");
      }
    }
    return response;
  };
}
