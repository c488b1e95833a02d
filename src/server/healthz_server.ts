/**
 * The kubelet's health listener (`--healthz-port`, default 10248, on
 * `--healthz-bind-address`, default 127.0.0.1): `/healthz` only, which
 * kubeadm polls while it waits for the kubelet. As in cmd/kubelet/app/server.go,
 * it answers once the process runs (the `ping` check), and a port that cannot
 * be bound is logged and tried again every 5 s without stopping the kubelet.
 *
 * @module
 */
import { sleep } from "../timers.ts";
import type { Logger } from "../log.ts";
import type { Platform, Server } from "../platform/types.ts";
import { type HealthCheck, healthzResponse, PING } from "./healthz.ts";

/** How long to wait before binding the port again after a failure (the kubelet's `wait.Until` period). */
export const HEALTHZ_RETRY_MS = 5_000;

const TEXT = { "content-type": "text/plain; charset=utf-8" };

/** The listener's handler: `/healthz` and `/healthz/{check}`, GET and HEAD; 404 for anything else. */
export function healthzHandler(checks: HealthCheck[] = [PING]): (request: Request) => Response {
  return (request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "");
    const named = /^\/healthz\/([^/]+)$/.exec(path);
    const response = path === "/healthz"
      ? healthzResponse(checks, undefined, url.searchParams)
      : named
      ? healthzResponse(checks, decodeURIComponent(named[1]), url.searchParams)
      : undefined;
    if (!response) return new Response("404 page not found\n", { status: 404, headers: TEXT });
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("405 method not allowed\n", {
        status: 405,
        headers: { ...TEXT, allow: "GET, HEAD" },
      });
    }
    return response;
  };
}

/**
 * Serves {@link healthzHandler} on `hostname:port` until `signal` aborts,
 * binding again every {@link HEALTHZ_RETRY_MS} while the port is taken.
 *
 * @returns a promise that resolves once the listener is closed after `signal` aborted
 */
export async function serveHealthz(
  platform: Pick<Platform, "serve">,
  log: Logger,
  options: { hostname: string; port: number; signal: AbortSignal; retryMs?: number },
): Promise<void> {
  const { hostname, port, signal, retryMs = HEALTHZ_RETRY_MS } = options;
  let server: Server | undefined;
  while (!signal.aborted) {
    try {
      server = await platform.serve({ hostname, port }, healthzHandler());
      break;
    } catch (error) {
      log.error("Failed to start healthz server", { error, address: `${hostname}:${port}` });
      await sleep(retryMs, signal);
    }
  }
  if (!server) return;
  log.info(`healthz listening on http://${hostname}:${server.port}/healthz`);
  if (!signal.aborted) {
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  }
  await server.close();
}
