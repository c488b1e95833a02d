/**
 * How requests reach the Docker Engine: the endpoint (unix socket or TCP),
 * the negotiated API version, and errors turned into {@link DockerError}.
 *
 * @module
 */
import type { FetchFn } from "../platform/types.ts";
import { DockerError } from "./docker_error.ts";
import { detectEngine, type EngineIdentity, type EngineVersion } from "./engine_kind.ts";

/** The newest Engine API version this client speaks; the engine's own is used when lower. */
export const MAX_API_VERSION = "1.45";
/** The oldest Engine API version this client accepts (Debian's Docker 20.10 speaks 1.41). */
export const MIN_API_VERSION = "1.41";

/**
 * How long a non-streaming Engine call may take, answer body included (ms):
 * an Engine that stops answering must not hang a pod worker forever.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;

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

/** One Engine API call's options. */
export interface CallInit {
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers (`X-Registry-Auth`). */
  headers?: Record<string, string>;
  /** The answer is a stream (events, logs, pulls, exec output): no deadline. */
  stream?: boolean;
  /** Deadline of a non-streaming call (ms). @default {DEFAULT_CALL_TIMEOUT_MS} */
  timeoutMs?: number;
}

/** Sends Engine API requests to one endpoint with the negotiated version prefix. */
export class Transport {
  #version: string | undefined;
  #engine: EngineIdentity = { kind: "docker", version: "" };

  constructor(readonly endpoint: Endpoint, private readonly fetchFn: FetchFn) {}

  /** The API version in use, once negotiated. */
  get version(): string | undefined {
    return this.#version;
  }

  /** Which engine answers (Docker until negotiation found otherwise). */
  get engine(): EngineIdentity {
    return this.#engine;
  }

  /**
   * Asks `/_ping` for the engine's API version and keeps the lower of it and
   * ours, then `/version` for which engine it is (Docker or Podman).
   *
   * @throws {DockerError} when the engine is unreachable or too old.
   */
  async negotiate(signal?: AbortSignal): Promise<string> {
    const deadline = AbortSignal.timeout(DEFAULT_CALL_TIMEOUT_MS);
    const res = await this.#send("GET /_ping", `${this.endpoint.base}/_ping`, {
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
    });
    await res.body?.cancel();
    const engine = res.headers.get("api-version") ?? MIN_API_VERSION;
    if (compareVersions(engine, MIN_API_VERSION) < 0) {
      throw new DockerError(
        res.status,
        "GET /_ping",
        `engine API ${engine} is older than ${MIN_API_VERSION}`,
      );
    }
    const version = compareVersions(engine, MAX_API_VERSION) < 0 ? engine : MAX_API_VERSION;
    this.#engine = detectEngine(res.headers, await this.#engineVersion(res.headers, version, signal));
    this.#version = version;
    return this.#version;
  }

  /**
   * Sends one request; `path` has no version prefix (`/containers/json`).
   * Resolves with the response when its status is 2xx or 304.
   *
   * A call that is not a `stream` must be answered, body and all, within
   * `timeoutMs` (default {@linkcode DEFAULT_CALL_TIMEOUT_MS}); its response
   * comes back fully read. A stream's body is the caller's to read and to
   * bound.
   *
   * @throws {DockerError} carrying the status and the engine's message
   * otherwise; status 0 when the Engine could not be reached or did not
   * answer in time (the message names the call).
   */
  async request(method: string, path: string, init: CallInit = {}): Promise<Response> {
    if (init.stream) return await this.#request(method, path, init);
    const timeoutMs = init.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      const res = await this.#request(method, path, { ...init, signal });
      // Read the whole answer under the same deadline, so a body that never ends cannot hang the caller.
      const body = res.status === 204 || res.status === 304 ? null : await res.arrayBuffer();
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } catch (error) {
      if (deadline.aborted && !init.signal?.aborted) {
        throw new DockerError(
          0,
          `${method} ${path} at ${this.endpoint.url}`,
          `no answer within ${timeoutMs / 1000} s`,
        );
      }
      throw error;
    }
  }

  async #request(method: string, path: string, init: CallInit): Promise<Response> {
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

  /**
   * `/version`, which names the engine, unless `/_ping` already said Podman:
   * Podman builds its answer by running conmon and the OCI runtime (seconds).
   * Undefined when it fails: the ping headers alone decide then.
   */
  async #engineVersion(
    ping: Headers,
    version: string,
    signal?: AbortSignal,
  ): Promise<EngineVersion | undefined> {
    if (ping.has("libpod-api-version")) return undefined;
    const res = await this.#send("GET /version", `${this.endpoint.base}/v${version}/version`, { signal });
    if (res.ok) return await res.json().catch(() => undefined);
    await res.body?.cancel();
    return undefined;
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
