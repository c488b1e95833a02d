/**
 * The read-only status server as a web-standard handler: tests call it with
 * `new Request("http://localhost/pods")`; the platform only serves it.
 *
 * @module
 */
import type { PodList } from "../api/types.ts";
import type { MachineSpec } from "./machine_spec.ts";

/** What the status server reads; the kubelet provides it. */
export interface StatusSource {
  /** Every pod the kubelet runs, with its current status. */
  podList(): PodList;
  /** The machine's facts. */
  machineSpec(): Promise<MachineSpec>;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const text = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });

/** Makes the handler for `--read-only-port`. */
export function createStatusHandler(source: StatusSource): (request: Request) => Promise<Response> {
  const routes: Record<string, () => Response | Promise<Response>> = {
    "/healthz": () => text("ok"),
    "/pods": () => json(source.podList()),
    "/spec": async () => json(await source.machineSpec()),
  };
  return async (request) => {
    const path = new URL(request.url).pathname.replace(/\/+$/, "") || "/";
    const route = routes[path];
    if (!route) return text("404 page not found\n", 404);
    if (request.method !== "GET" && request.method !== "HEAD") {
      return text("405 method not allowed\n", 405, { allow: "GET, HEAD" });
    }
    const response = await route();
    return request.method === "HEAD" ? new Response(null, response) : response;
  };
}
