/**
 * How requests reach the Docker Engine: the endpoint (unix socket or TCP),
 * the negotiated API version, and errors turned into {@link DockerError}.
 *
 * @module
 */
import type { FetchFn } from "../platform/types.ts";
import { DockerError } from "./docker_error.ts";

/** The newest Engine API version this client speaks; the engine's own is used when lower. */
export const MAX_API_VERSION = "1.45";
/** The oldest Engine API version this client accepts (Debian's Docker 20.10 speaks 1.41). */
export const MIN_API_VERSION = "1.41";

/** The default endpoint, as the kubelet's `--docker-endpoint` has it. */
export const DEFAULT_DOCKER_ENDPOINT = "unix:///var/run/docker.sock";

function compareVersions(a: string, b: string): number {
  const [a1, a2] = a.split(".").map(Number);
  const [b1, b2] = b.split(".").map(Number);
  return a1 - b1 || a2 - b2;
}

/** A parsed endpoint: where to send requests and with which fetch. */
export interface Endpoint {
  /** What the user gave, for messages. */
  url: string;
  /** Base URL for request paths (`http://docker` for unix sockets). */
  base: string;
  /** `unix` sockets need a platform fetch; `tcp` uses plain fetch. */
  socketPath?: string;
}

/**
 * Parses a Docker endpoint: `unix:///path`, `tcp://host:port` or `http://host:port`.
 *
 * @throws {Error} naming the endpoint when its scheme is not one of these.
 */
export function parseEndpoint(url: string): Endpoint {
  if (url.startsWith("unix://")) {
    return { url, base: "http://docker", socketPath: url.slice("unix://".length) };
  }
  if (url.startsWith("/")) return { url, base: "http://docker", socketPath: url };
  const m = /^(tcp|http):\/\/([^/]+)\/?$/.exec(url);
  if (m) return { url, base: `http://${m[2]}` };
  throw new Error(`docker endpoint ${JSON.stringify(url)}: expected unix:///path or tcp://host:port`);
}

/** Sends Engine API requests to one endpoint with the negotiated version prefix. */
export class Transport {
  #version: string | undefined;

  constructor(readonly endpoint: Endpoint, private readonly fetchFn: FetchFn) {}

  /** The API version in use, once negotiated. */
  get version(): string | undefined {
    return this.#version;
  }

  /**
   * Asks `/_ping` for the engine's API version and keeps the lower of it and ours.
   *
   * @throws {DockerError} when the engine is unreachable or too old.
   */
  async negotiate(signal?: AbortSignal): Promise<string> {
    const res = await this.#send("GET /_ping", `${this.endpoint.base}/_ping`, { signal });
    await res.body?.cancel();
    const engine = res.headers.get("api-version") ?? MIN_API_VERSION;
    if (compareVersions(engine, MIN_API_VERSION) < 0) {
      throw new DockerError(
        res.status,
        "GET /_ping",
        `engine API ${engine} is older than ${MIN_API_VERSION}`,
      );
    }
    this.#version = compareVersions(engine, MAX_API_VERSION) < 0 ? engine : MAX_API_VERSION;
    return this.#version;
  }

  /**
   * Sends one request; `path` has no version prefix (`/containers/json`).
   * Resolves with the response when its status is 2xx or 304.
   *
   * @throws {DockerError} carrying the status and the engine's message otherwise.
   */
  async request(
    method: string,
    path: string,
    init: {
      query?: Record<string, string | number | boolean | string[] | undefined>;
      body?: unknown;
      signal?: AbortSignal;
      /** Extra request headers (`X-Registry-Auth`). */
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    if (!this.#version) await this.negotiate(init.signal);
    const url = new URL(`${this.endpoint.base}/v${this.#version}${path}`);
    for (const [k, v] of Object.entries(init.query ?? {})) {
      for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) {
        url.searchParams.append(k, String(one));
      }
    }
    let body: BodyInit | undefined;
    const headers = new Headers(init.headers);
    if (init.body instanceof Uint8Array) {
      body = init.body as Uint8Array<ArrayBuffer>;
      headers.set("content-type", "application/x-tar");
    } else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers.set("content-type", "application/json");
    }
    const endpoint = `${method} ${path}`;
    const res = await this.#send(endpoint, url.href, { method, body, headers, signal: init.signal });
    if (res.ok || res.status === 304) return res;
    const text = await res.text().catch(() => "");
    let message = text.trim();
    try {
      message = JSON.parse(text).message ?? message;
    } catch { /* plain text */ }
    throw new DockerError(res.status, endpoint, message);
  }

  async #send(endpoint: string, url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchFn(new Request(url, init));
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      throw new DockerError(0, `${endpoint} at ${this.endpoint.url}`, (error as Error).message);
    }
  }
}
