/**
 * Which engine serves the Docker Engine API: Docker itself, or Podman's
 * Docker-compatible service (`podman system service`). The kubelet speaks the
 * same API to both; the few places where Podman answers differently ask
 * {@link EngineKind} instead of guessing from error messages.
 *
 * @module
 */

/** The engine behind the endpoint. */
export type EngineKind = "docker" | "podman";

/** The parts of `GET /version` that name the engine. */
export interface EngineVersion {
  Version?: string;
  Components?: { Name?: string; Version?: string }[] | null;
}

/** What {@linkcode detectEngine} found: the kind, and the engine's own version for messages. */
export interface EngineIdentity {
  kind: EngineKind;
  /** `4.3.1` for Podman, `29.0.1` for Docker; empty when the engine did not say. */
  version: string;
}

/**
 * Tells Podman from Docker by what each answers: Podman's `/_ping` carries a
 * `Libpod-Api-Version` header and its `/version` lists a `Podman Engine`
 * component; Docker's lists `Engine`. Either sign is enough, so a proxy that
 * drops headers still finds Podman by `/version`.
 *
 * @param pingHeaders the headers of `GET /_ping`
 * @param version the body of `GET /version`, when it could be read
 */
export function detectEngine(pingHeaders: Headers, version?: EngineVersion): EngineIdentity {
  const components = Array.isArray(version?.Components) ? version.Components : [];
  const podman = components.find((c) => c?.Name === "Podman Engine");
  const libpod = pingHeaders.get("libpod-api-version");
  if (podman || libpod) {
    return { kind: "podman", version: shortVersion(podman?.Version ?? version?.Version ?? libpod) };
  }
  return { kind: "docker", version: shortVersion(version?.Version) };
}

/** A version string fit for a log line: a string, at most 64 characters. */
function shortVersion(v: unknown): string {
  return typeof v === "string" ? v.slice(0, 64) : "";
}
