/**
 * The read-only status server as a web-standard handler: tests call it with
 * `new Request("http://localhost/pods")`; the platform only serves it.
 *
 * Every path answers GET and HEAD only (405 with `Allow` otherwise); unknown
 * paths answer 404. A route whose source part is not given answers 404.
 * `/api`, `/apis` and `/version` go to the API-server-shaped view
 * (`src/server/apiserver/`), which answers errors as `metav1.Status`.
 *
 * @module
 */
import type { PodList } from "../api/types.ts";
import type { Logger } from "../log.ts";
import { METRICS_CONTENT_TYPE } from "../metrics/registry.ts";
import { type HealthCheck, healthzResponse, PING } from "./healthz.ts";
import type { MachineSpec } from "../nodeinfo/machine_spec.ts";
import { NODE_PAGE_CSP, renderNodePage } from "./node_page.ts";
import type { Summary } from "../stats/summary.ts";
import { LogRequestError, type LogTarget } from "./container_logs.ts";
import { longLived } from "../platform/long_lived.ts";
import { type ConcurrencyLimits, limitConcurrency } from "./limit_concurrency.ts";
import { createApiHandler, isApiPath } from "./apiserver/api_handler.ts";
import { buildNode, type Node } from "./apiserver/node.ts";
import type { NodeFacts } from "../nodeinfo/node_facts.ts";
import type { EventRecorder } from "../events/event_recorder.ts";
import { isAllowedHost } from "./allowed_host.ts";

/** What the status server reads; the kubelet provides it. */
export interface StatusSource {
  /** Every pod the kubelet runs, with its current status. */
  podList(): PodList;
  /** The machine's facts. */
  machineSpec(): Promise<MachineSpec>;
  /** The node's name, for the node page. */
  nodeName?: string;
  /** Health checks besides `ping` (`syncloop`, ...). */
  healthChecks?: HealthCheck[];
  /** `/runningpods/`: the pods the runtime shows running. */
  runningPods?(): PodList;
  /** `/stats/summary`. */
  statsSummary?(): Promise<Summary>;
  /** `/metrics`, in the Prometheus text format. */
  metrics?(): string;
  /** `/containerLogs/...`: the log bytes. @throws {LogRequestError} */
  containerLogs?(
    target: LogTarget,
    query: URLSearchParams,
    signal: AbortSignal,
  ): Promise<ReadableStream<Uint8Array>>;
  /** Logs requests at verbosity 4. */
  log?: Logger;
  /** The node's facts for `/api/v1/nodes` (else only the machine spec and node name). */
  nodeFacts?(): Promise<NodeFacts>;
  /** The kubelet's events for `/api/v1/events`. */
  events?: Pick<EventRecorder, "generation" | "list">;
  /** Aborts when the kubelet stops: every watch ends. */
  signal?: AbortSignal;
  /** The machine's architecture (`amd64`, `arm64`). */
  arch?: string;
}

type Route = (request: Request, url: URL) => Response | Promise<Response>;

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const text = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });

/** Options of {@linkcode createStatusHandler}. */
export interface StatusHandlerOptions {
  /** The configured `--address`: a Host header may name it (see `isAllowedHost`). */
  address?: string;
  /** Concurrency caps. @default {64 requests in flight, 64 log follows open; 429 beyond} */
  limits?: ConcurrencyLimits;
}

/**
 * Makes the handler for `--read-only-port`. A request whose `Host` header
 * names neither a loopback or other IP address, `localhost`, the node nor
 * `opts.address` is answered 403 (DNS rebinding). Beyond the concurrency
 * caps of `opts.limits`, requests are answered 429.
 */
export function createStatusHandler(
  source: StatusSource,
  opts: StatusHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const hosts = { nodeName: source.nodeName, address: opts.address };
  const checks = [PING, ...(source.healthChecks ?? [])];
  const startedAt = new Date();
  const nodeUid = crypto.randomUUID();
  let lastNode: Node | undefined;
  const api = createApiHandler({
    podList: () => source.podList(),
    node: async () => {
      const facts: NodeFacts = source.nodeFacts ? await source.nodeFacts() : {
        name: source.nodeName ?? "",
        machine: await source.machineSpec(),
        hostIP: "127.0.0.1",
        hostname: source.nodeName ?? "",
        kubeletVersion: "",
        containerRuntimeVersion: "",
        osImage: "",
        kernelVersion: "",
        architecture: source.arch ?? "",
        startedAt,
      };
      const failed = checks.map((c) => [c.name, c.check()]).filter(([, why]) => why !== undefined);
      if (failed.length) facts.notReady = failed.map(([name, why]) => `${name}: ${why}`).join("; ");
      return lastNode = buildNode(facts, nodeUid, new Date(), lastNode);
    },
    events: source.events,
    containerLogs: source.containerLogs && ((t, q, s) => source.containerLogs!(t, q, s)),
    signal: source.signal,
    arch: source.arch,
  });
  const exact: Record<string, Route | undefined> = {
    "/": () =>
      new Response(renderNodePage(source.podList(), source.nodeName ?? "", new Date()), {
        headers: {
          "content-type": "text/html; charset=utf-8",
          "content-security-policy": NODE_PAGE_CSP,
          "cache-control": "no-store",
        },
      }),
    "/healthz": (_, url) => healthzResponse(checks, undefined, url.searchParams)!,
    "/pods": () => json(source.podList()),
    "/spec": async () => json(await source.machineSpec()),
    "/runningpods": source.runningPods && (() => json(source.runningPods!())),
    "/stats/summary": source.statsSummary && (async () => json(await source.statsSummary!())),
    "/metrics": source.metrics &&
      (() => new Response(source.metrics!(), { headers: { "content-type": METRICS_CONTENT_TYPE } })),
  };
  const find = (path: string): Route | undefined => {
    try {
      return match(path);
    } catch (error) {
      // A path segment that is not valid percent-encoding is the client's error, not the server's.
      if (error instanceof URIError) {
        return () => text(`400 bad request: malformed URL escape in ${JSON.stringify(path)}\n`, 400);
      }
      throw error;
    }
  };
  const match = (path: string): Route | undefined => {
    if (Object.hasOwn(exact, path)) return exact[path];
    const health = /^\/healthz\/([^/]+)$/.exec(path);
    if (health) {
      const name = decodeURIComponent(health[1]);
      return checks.some((c) => c.name === name)
        ? (_, url) => healthzResponse(checks, name, url.searchParams)!
        : undefined;
    }
    const logs = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
    if (logs && source.containerLogs) {
      const [namespace, pod, container] = logs.slice(1).map(decodeURIComponent);
      return async (request, url) => {
        try {
          const body = await source.containerLogs!(
            { namespace, pod, container },
            url.searchParams,
            request.signal,
          );
          // A follow may stay quiet for as long as the container does.
          return longLived(
            new Response(body, {
              headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
            }),
          );
        } catch (error) {
          if (error instanceof LogRequestError) return text(`${error.message}\n`, error.status);
          throw error;
        }
      };
    }
    return undefined;
  };
  return limitConcurrency(async (request) => {
    const started = performance.now();
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const route = isApiPath(path) ? api : find(path);
    const host = request.headers.get("host") ?? url.host;
    let response: Response;
    if (!isAllowedHost(host, hosts)) {
      response = text(`403 forbidden: Host ${JSON.stringify(host.slice(0, 100))} is not this node\n`, 403);
    } else if (!route) response = text("404 page not found\n", 404);
    else if (route === api) {
      try {
        response = await api(request);
      } catch (error) {
        source.log?.error(`status server: ${request.method} ${url.pathname} failed`, { error });
        response = text(`internal server error: ${(error as Error).message}\n`, 500);
      }
    } else if (request.method !== "GET" && request.method !== "HEAD") {
      response = text("405 method not allowed\n", 405, { allow: "GET, HEAD" });
    } else {
      try {
        response = await route(request, url);
      } catch (error) {
        source.log?.error(`status server: ${request.method} ${url.pathname} failed`, { error });
        response = text(`internal server error: ${(error as Error).message}\n`, 500);
      }
    }
    source.log?.v(4, "HTTP", {
      verb: request.method,
      URI: url.pathname + url.search,
      latency: `${(performance.now() - started).toFixed(1)}ms`,
      resp: response.status,
    });
    if (request.method === "HEAD") {
      await response.body?.cancel();
      return new Response(null, { status: response.status, headers: response.headers });
    }
    return response;
  }, opts.limits);
}
