/**
 * Runs one probe or lifecycle-hook action against a container: `exec`
 * through the Engine, `httpGet` with fetch, `tcpSocket` with a TCP connect,
 * `sleep`. The kubelet's rules: HTTP 200-399 succeeds, a non-zero exit code
 * or a timeout fails.
 *
 * @module
 */
import type { Container, HTTPGetAction, LifecycleHandler } from "../api/types.ts";
import type { DockerClient } from "../docker/client.ts";
import type { Platform } from "../platform/types.ts";
import { KUBERNETES_VERSION } from "../version.ts";
import { readLimitedText } from "../docker/read_limited.ts";

/** At most this much of a response body is read and kept (the kubelet's maxRespBodyLength). */
export const MAX_BODY_BYTES = 10_240;

/** The container an action runs against. */
export interface HandlerTarget {
  containerId: string;
  container: Container;
  /** The pod's IP: the default host of httpGet and tcpSocket. */
  podIP?: string;
}

/** What running an action needs of the world. */
export interface HandlerDeps {
  docker: DockerClient;
  platform: Pick<Platform, "tcpConnect" | "fetchInsecure">;
}

/** An action's outcome, and what it said (for logs and status messages). */
export interface HandlerResult {
  ok: boolean;
  output: string;
  /** Set when the action counted as success but something deserves a log line (a redirect not followed). */
  warning?: string;
}

/**
 * Resolves a port given by number or by the name of one of the container's ports.
 *
 * @throws {Error} when a named port does not exist.
 */
export function resolvePort(port: number | string, container: Container): number {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = container.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`couldn't find port ${JSON.stringify(port)} in container ${container.name}`);
  return named.containerPort;
}

function httpUrl(action: HTTPGetAction, target: HandlerTarget): string {
  const scheme = (action.scheme ?? "HTTP").toLowerCase();
  const host = action.host || target.podIP || "127.0.0.1";
  const path = action.path ? (action.path.startsWith("/") ? action.path : `/${action.path}`) : "/";
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return `${scheme}://${hostPart}:${resolvePort(action.port, target.container)}${path}`;
}

/** The kubelet's limit on redirects a probe follows (net/http's default). */
export const MAX_PROBE_REDIRECTS = 10;

const FOLLOWED = new Set([301, 302, 303, 307, 308]);

async function httpGet(
  action: HTTPGetAction,
  target: HandlerTarget,
  deps: HandlerDeps,
  signal: AbortSignal,
): Promise<HandlerResult> {
  const url = httpUrl(action, target);
  const headers = new Headers({
    "user-agent": `kube-probe/${KUBERNETES_VERSION.slice(1).split(".").slice(0, 2).join(".")}`,
    accept: "*/*",
  });
  for (const h of action.httpHeaders ?? []) headers.set(h.name, h.value);
  try {
    const res = await getFollowingLocalRedirects(new URL(url), headers, deps, signal);
    // The body is the workload's: read what is kept and cancel the rest (it may never end).
    const body = await readLimitedText(res.body, MAX_BODY_BYTES);
    if (res.status >= 300 && res.status < 400) {
      // A redirect the kubelet does not follow (another host) counts as success, with a warning.
      const warning = `Probe terminated redirects, Response body: ${body}`;
      return { ok: true, output: warning, warning };
    }
    if (res.status >= 200 && res.status < 400) return { ok: true, output: body };
    return { ok: false, output: `HTTP probe failed with statuscode: ${res.status}` };
  } catch (error) {
    const why = signal.aborted
      ? "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
      : withCause(error as Error);
    return { ok: false, output: `Get "${url}": ${why}` };
  }
}

/** An error's message and its cause's: fetch's "fetch failed" alone does not say what failed. */
function withCause(error: Error): string {
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

/**
 * GETs `url` following redirects as the kubelet's probe client does
 * (pkg/probe/http `RedirectChecker(false)`): only to the same host name (any
 * port), at most {@linkcode MAX_PROBE_REDIRECTS}; a redirect elsewhere is
 * answered with the redirect response itself, so neither the request nor the
 * probe's headers ever leave for a host the manifest did not name.
 *
 * @throws {Error} after too many redirects, or when the request fails
 */
async function getFollowingLocalRedirects(
  url: URL,
  headers: Headers,
  deps: HandlerDeps,
  signal: AbortSignal,
): Promise<Response> {
  let current = url;
  for (let redirects = 0;; redirects++) {
    // Like the kubelet, HTTPS probes do not verify the certificate (where the runtime allows).
    const res = await deps.platform.fetchInsecure(
      new Request(current, { headers, signal, redirect: "manual" }),
    );
    const location = res.headers.get("location");
    if (!FOLLOWED.has(res.status) || location === null) return res;
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      return res;
    }
    if (next.hostname !== url.hostname || (next.protocol !== "http:" && next.protocol !== "https:")) {
      return res;
    }
    if (redirects + 1 >= MAX_PROBE_REDIRECTS) {
      await res.body?.cancel();
      throw new Error(`stopped after ${MAX_PROBE_REDIRECTS} redirects`);
    }
    await res.body?.cancel();
    current = next;
  }
}

/**
 * Runs `action` against `target`, giving up after `timeoutMs`.
 * Never throws: every failure is a result with `ok: false`.
 */
export async function runHandler(
  action: LifecycleHandler,
  target: HandlerTarget,
  deps: HandlerDeps,
  timeoutMs: number,
): Promise<HandlerResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    if (action.exec) {
      const { exitCode, output } = await deps.docker.exec(
        target.containerId,
        action.exec.command ?? [],
        signal,
      );
      return exitCode === 0
        ? { ok: true, output }
        : { ok: false, output: output || `command exited ${exitCode}` };
    }
    if (action.httpGet) return await httpGet(action.httpGet, target, deps, signal);
    if (action.tcpSocket) {
      const host = action.tcpSocket.host || target.podIP || "127.0.0.1";
      const port = resolvePort(action.tcpSocket.port, target.container);
      await deps.platform.tcpConnect(host, port, timeoutMs);
      return { ok: true, output: "" };
    }
    if (action.sleep) {
      await new Promise((r) => setTimeout(r, action.sleep!.seconds * 1000));
      return { ok: true, output: "" };
    }
    return { ok: false, output: "no handler (exec, httpGet, tcpSocket or sleep) given" };
  } catch (error) {
    if (signal.aborted) {
      return { ok: false, output: `timeout: the action took longer than ${timeoutMs / 1000}s` };
    }
    return { ok: false, output: (error as Error).message };
  }
}
