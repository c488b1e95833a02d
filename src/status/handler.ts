/**
 * The read-only status server as a web-standard handler: tests call it with
 * `new Request("http://localhost/pods")`; the platform only serves it.
 *
 * Every path answers GET and HEAD only (405 with `Allow` otherwise); unknown
 * paths answer 404. A route whose source part is not given answers 404.
 *
 * @module
 */
import type { PodList } from "../api/types.ts";
import type { Logger } from "../log.ts";
import { METRICS_CONTENT_TYPE } from "../metrics/registry.ts";
import { type HealthCheck, healthzResponse, PING } from "./healthz.ts";
import type { MachineSpec } from "./machine_spec.ts";
import { NODE_PAGE_CSP, renderNodePage } from "./node_page.ts";
import type { Summary } from "./summary.ts";
import { LogRequestError, type LogTarget } from "./container_logs.ts";
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
}

/**
 * Makes the handler for `--read-only-port`. A request whose `Host` header
 * names neither a loopback or other IP address, `localhost`, the node nor
 * `opts.address` is answered 403 (DNS rebinding).
 */
export function createStatusHandler(
  source: StatusSource,
  opts: StatusHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const hosts = { nodeName: source.nodeName, address: opts.address };
  const checks = [PING, ...(source.healthChecks ?? [])];
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
          return new Response(body, {
            headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
          });
        } catch (error) {
          if (error instanceof LogRequestError) return text(`${error.message}\n`, error.status);
          throw error;
        }
      };
    }
    return undefined;
  };
  return async (request) => {
    const started = performance.now();
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const route = find(path);
    const host = request.headers.get("host") ?? url.host;
    let response: Response;
    if (!isAllowedHost(host, hosts)) {
      response = text(`403 forbidden: Host ${JSON.stringify(host.slice(0, 100))} is not this node\n`, 403);
    } else if (!route) response = text("404 page not found\n", 404);
    else if (request.method !== "GET" && request.method !== "HEAD") {
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
  };
}
