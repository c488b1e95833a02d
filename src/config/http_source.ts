/**
 * Reads the static pods served at a URL (k8s.io/kubernetes
 * pkg/kubelet/config/http.go), one complete snapshot per changed response.
 *
 * @module
 */

import { MAX_MANIFEST_BYTES } from "../manifest/limits.ts";
import { addManifestPods } from "./manifest_pods.ts";
import { readBodyText } from "./read_body.ts";
import type { Snapshot } from "./snapshot.ts";

/** The kubelet's timeout for one request to the manifest URL (ms). */
export const HTTP_TIMEOUT_MS = 10_000;

/** Redirects followed before a read fails, as Go's HTTP client (the kubelet's) allows. */
export const MAX_REDIRECTS = 10;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GETs `url`, following redirects by hand: to the same origin (scheme, host
 * and port) with `headers`, to any other origin without them, so the
 * `--manifest-url-header` values (tokens, often) reach only the host the
 * operator named.
 *
 * @throws {Error} after {@linkcode MAX_REDIRECTS} redirects, or when a request fails
 */
async function fetchFollowingRedirects(
  url: string,
  headers: Headers,
  signal: AbortSignal,
  fetchFn: (request: Request) => Promise<Response>,
): Promise<Response> {
  const origin = new URL(url).origin;
  let current = new URL(url);
  for (let redirects = 0;; redirects++) {
    const sameOrigin = current.origin === origin;
    const response = await fetchFn(
      new Request(current, { headers: sameOrigin ? headers : undefined, signal, redirect: "manual" }),
    );
    const location = response.headers.get("location");
    if (!REDIRECTS.has(response.status) || location === null) return response;
    await response.body?.cancel();
    if (redirects + 1 >= MAX_REDIRECTS) throw new Error(`stopped after ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, current);
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new Error(`redirect to ${JSON.stringify(next.href)} is not http or https`);
    }
    current = next;
  }
}

/** What the source remembers between reads, to tell an unchanged response. */
export interface HttpSourceState {
  /** The last response's `ETag`, sent back as `If-None-Match`. */
  etag?: string;
  /** The last response's body. */
  body?: string;
}

/** Options for {@linkcode readHttpSource}. */
export interface HttpSourceOptions {
  url: string;
  /** Request headers, in order; a name may repeat (`--manifest-url-header`). */
  headers?: [string, string][];
  nodeName: string;
  /** @default {HTTP_TIMEOUT_MS} */
  timeoutMs?: number;
  /** Aborts the request (the kubelet stopping). */
  signal?: AbortSignal;
  /** @default {globalThis.fetch} */
  fetch?: (request: Request) => Promise<Response>;
  /** The clock for the `config.seen` annotation. @default {() => new Date()} */
  now?: () => Date;
}

/** What one read gives: nothing new, or a snapshot and the state to pass to the next read. */
export type HttpSourceResult =
  | { changed: false }
  | { changed: true; snapshot: Snapshot; state: HttpSourceState; warning?: string };

/** The URL could not be read: refused, timed out, or not answered with 200. The last pods stay. */
export class HttpSourceError extends Error {
  override name = "HttpSourceError";
}

/**
 * Reads the pods at `opts.url` unless the response is the one `state` holds.
 *
 * The request carries the configured headers and, when the last response had
 * an `ETag`, `If-None-Match`; redirects are followed (at most 10), but the
 * headers go only to the URL's own origin; a `304` or a body equal to the last one is
 * unchanged. The body may hold a Pod, a PodList or a List, in JSON or YAML,
 * and several YAML documents; each is defaulted and validated as a manifest
 * file is. A body with a broken document keeps the last pods of the URL
 * running (`failedOrigins`). An empty body is an empty set, as the kubelet
 * treats it, with a warning.
 *
 * @throws {HttpSourceError} when the URL cannot be read or does not answer 200
 */
export async function readHttpSource(
  state: HttpSourceState,
  opts: HttpSourceOptions,
): Promise<HttpSourceResult> {
  const headers = new Headers();
  for (const [name, value] of opts.headers ?? []) headers.append(name, value);
  if (state.etag) headers.set("if-none-match", state.etag);
  const timeoutMs = opts.timeoutMs ?? HTTP_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let body: string;
  let response: Response;
  try {
    response = await fetchFollowingRedirects(opts.url, headers, signal, opts.fetch ?? fetch);
    body = await readBodyText(response, MAX_MANIFEST_BYTES);
  } catch (error) {
    if (timeout.aborted) throw new HttpSourceError(`${opts.url}: no response within ${timeoutMs / 1000}s`);
    throw new HttpSourceError(`${opts.url}: ${(error as Error).message}`);
  }
  if (response.status === 304 && state.etag) return { changed: false };
  if (response.status !== 200) {
    throw new HttpSourceError(`${opts.url}: ${response.status} ${response.statusText}`.trimEnd());
  }
  // Short circuit if the data has not changed since the last time it was read, as the kubelet does.
  if (state.body !== undefined && body === state.body) return { changed: false };
  const next: HttpSourceState = { etag: response.headers.get("etag") ?? undefined, body };
  const snapshot: Snapshot = { source: "http", pods: [], problems: [], failedOrigins: [] };
  const from = {
    source: "http" as const,
    origin: opts.url,
    nodeName: opts.nodeName,
    seen: (opts.now ?? (() => new Date()))(),
  };
  if (body.length === 0) {
    return { changed: true, snapshot, state: next, warning: `zero-length data received from ${opts.url}` };
  }
  if (body.trim() === "") {
    snapshot.problems.push({ origin: opts.url, message: "the body holds no pod" });
    snapshot.failedOrigins.push(opts.url);
  } else {
    await addManifestPods(body, from, snapshot);
  }
  return { changed: true, snapshot, state: next };
}
