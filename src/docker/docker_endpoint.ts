/**
 * The Engine endpoint and the fetch that reaches it: a unix socket, plain
 * TCP, or TCP with TLS when `DOCKER_TLS_VERIFY` is set, with the client
 * certificate files the docker CLI reads (`ca.pem`, `cert.pem`, `key.pem`
 * in `DOCKER_CERT_PATH`, else `~/.docker`).
 *
 * @module
 */
import type { FetchFn, Platform, TlsFiles } from "../platform/types.ts";
import { type Endpoint, parseEndpoint } from "./transport.ts";

/** Where the TLS files are, or why TLS cannot be used; undefined when TLS is not asked for. */
export function dockerTlsPaths(
  env: (name: string) => string | undefined,
): { ca: string; cert: string; key: string } | undefined {
  // The docker CLI: any non-empty DOCKER_TLS_VERIFY turns verification on.
  const verify = (env("DOCKER_TLS_VERIFY") ?? "") !== "";
  if (!verify) {
    if ((env("DOCKER_TLS") ?? "") !== "") {
      throw new Error(
        "DOCKER_TLS without DOCKER_TLS_VERIFY asks for TLS without checking the engine's certificate, " +
          "which this kubelet does not do: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH",
      );
    }
    return undefined;
  }
  const home = env("HOME");
  const dir = env("DOCKER_CERT_PATH") || (home ? `${home}/.docker` : undefined);
  if (!dir) throw new Error("DOCKER_TLS_VERIFY is set but neither DOCKER_CERT_PATH nor HOME is");
  const base = dir.replace(/\/+$/, "");
  return { ca: `${base}/ca.pem`, cert: `${base}/cert.pem`, key: `${base}/key.pem` };
}

/**
 * The endpoint for `url` and a fetch for it. For a `tcp://` endpoint with
 * `DOCKER_TLS_VERIFY`, requests go to `https://` and the certificate files
 * are read at the first request (a file that cannot be read fails that
 * request, and every later one, with a message naming it).
 *
 * @throws {Error} when `url` is not an endpoint or TLS is asked for in a way
 * this kubelet refuses (`DOCKER_TLS` without `DOCKER_TLS_VERIFY`).
 */
export function dockerEndpoint(
  platform: Pick<Platform, "env" | "unixFetch" | "tlsFetch" | "readTextFile">,
  url: string,
): { endpoint: Endpoint; fetchFn: FetchFn } {
  const endpoint = parseEndpoint(url);
  if (endpoint.socketPath) return { endpoint, fetchFn: platform.unixFetch(endpoint.socketPath) };
  const paths = dockerTlsPaths(platform.env);
  if (!paths) return { endpoint, fetchFn: (request) => fetch(request) };
  let tls: Promise<FetchFn> | undefined;
  const load = async (): Promise<FetchFn> => {
    const files: Partial<TlsFiles> = {};
    for (const name of ["ca", "cert", "key"] as const) {
      try {
        files[name] = await platform.readTextFile(paths[name]);
      } catch (error) {
        throw new Error(`DOCKER_TLS_VERIFY: cannot read ${paths[name]}: ${(error as Error).message}`);
      }
    }
    return platform.tlsFetch(files as TlsFiles);
  };
  return {
    endpoint: { ...endpoint, base: endpoint.base.replace(/^http:/, "https:") },
    fetchFn: async (request) => await (await (tls ??= load()))(request),
  };
}
