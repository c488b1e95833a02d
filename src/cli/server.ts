/**
 * Reading the status server from the CLI: its address and its `/pods`.
 *
 * @module
 */
import type { PodList } from "../api/types.ts";
import type { CliIo } from "./io.ts";

/** The status server the CLI reads by default: the kubelet's `--read-only-port` on loopback. */
export const DEFAULT_SERVER = "http://127.0.0.1:10255";

/** A failure the CLI prints on one line and exits 1 for. */
export class CliError extends Error {
  override name = "CliError";
}

/** GETs `path` from `server`. @throws {CliError} when the server cannot be reached. */
export async function get(io: CliIo, server: string, path: string, signal?: AbortSignal): Promise<Response> {
  const url = `${server.replace(/\/+$/, "")}${path}`;
  try {
    return await io.fetch(new Request(url, { signal }));
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new CliError(`cannot reach the kubelet's status server at ${server}: ${(error as Error).message}`);
  }
}

/** The kubelet's `/pods`. @throws {CliError} */
export async function getPods(io: CliIo, server: string): Promise<PodList> {
  const res = await get(io, server, "/pods");
  if (!res.ok) throw new CliError(`${server}/pods answered ${res.status}: ${(await res.text()).trim()}`);
  return await res.json();
}
