/**
 * A thin typed client for the Docker Engine API: one method per call the
 * kubelet makes, over a {@link Transport}.
 *
 * @module
 */
import { demultiplex } from "./log_stream.ts";
import { readLimitedText } from "./read_limited.ts";
import { DockerError } from "./docker_error.ts";
import { normalizeEvent } from "./engine_event.ts";
import type { EngineIdentity, EngineKind } from "./engine_kind.ts";
import { jsonLines } from "./json_lines.ts";
import type { Transport } from "./transport.ts";
import { type RegistryAuth, registryAuthHeader } from "./registry_auth.ts";
import type {
  ContainerCreateBody,
  ContainerInspect,
  ContainerSummary,
  EngineEvent,
  EngineInfo,
  EngineStats,
  ImageInspect,
  PullProgress,
} from "./types.ts";

/** Splits `repo[:tag]` (or `repo@digest`) the way the Engine's `fromImage`/`tag` want it. */
export function splitImageRef(ref: string): { repo: string; tag: string } {
  const at = ref.indexOf("@");
  if (at >= 0) return { repo: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(":");
  if (colon > ref.lastIndexOf("/")) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: "latest" };
}

/** A pull whose stream is silent this long is abandoned (ms). */
export const PULL_IDLE_TIMEOUT_MS = 120_000;

/**
 * The query of an image import (`POST /images/create?fromSrc=-`). Podman's
 * compatible import (4.x) reads no `tag` parameter and would name the image
 * `repo:latest`, so it gets the tag inside `repo`.
 */
export function importQuery(
  engine: EngineKind,
  repo: string,
  tag: string,
  changes: string[],
): Record<string, string | string[]> {
  if (engine === "podman") return { fromSrc: "-", repo: `${repo}:${tag}`, changes };
  return { fromSrc: "-", repo, tag, changes };
}

export class DockerClient {
  constructor(readonly transport: Transport) {}

  /** Checks that the engine answers; negotiates the API version. */
  ping(signal?: AbortSignal): Promise<string> {
    return this.transport.negotiate(signal);
  }

  /** Lists containers (all states) whose labels match every `key=value` or `key` in `labels`. */
  async listContainers(labels: string[]): Promise<ContainerSummary[]> {
    const res = await this.transport.request("GET", "/containers/json", {
      query: { all: true, filters: JSON.stringify({ label: labels }) },
    });
    return await res.json();
  }

  /** Inspects a container; resolves `null` when it no longer exists. */
  async inspectContainer(id: string): Promise<ContainerInspect | null> {
    try {
      return await (await this.transport.request("GET", `/containers/${id}/json`)).json();
    } catch (error) {
      if (error instanceof DockerError && error.notFound) return null;
      throw error;
    }
  }

  /** One stats sample of a container, without waiting for a second one; `null` when it no longer exists. */
  async containerStats(id: string, signal?: AbortSignal): Promise<EngineStats | null> {
    try {
      const res = await this.transport.request("GET", `/containers/${id}/stats`, {
        query: { stream: false, "one-shot": true },
        signal,
      });
      return await res.json();
    } catch (error) {
      if (error instanceof DockerError && error.notFound) return null;
      throw error;
    }
  }

  /**
   * A container's log stream as the Engine sends it: multiplexed stdout and
   * stderr frames unless the container has a TTY.
   *
   * @param options `tail` lines (all when undefined), `since` in seconds since the epoch
   */
  async containerLogs(
    id: string,
    options: { follow?: boolean; tail?: number; since?: number; timestamps?: boolean },
    signal?: AbortSignal,
  ): Promise<ReadableStream<Uint8Array>> {
    const res = await this.transport.request("GET", `/containers/${id}/logs`, {
      query: {
        stdout: true,
        stderr: true,
        follow: options.follow ?? false,
        timestamps: options.timestamps ?? false,
        tail: options.tail === undefined ? "all" : options.tail,
        since: options.since,
      },
      signal,
      stream: true,
    });
    return res.body ?? new ReadableStream({ start: (c) => c.close() });
  }

  /** The writable-layer size (`SizeRw`, bytes) of each container whose labels match `labels`, by ID. */
  async containerSizes(labels: string[]): Promise<Map<string, number>> {
    const res = await this.transport.request("GET", "/containers/json", {
      query: { all: true, size: true, filters: JSON.stringify({ label: labels }) },
    });
    const rows: { Id: string; SizeRw?: number }[] = await res.json();
    return new Map(rows.map((r) => [r.Id, r.SizeRw ?? 0]));
  }

  /** The Engine's data directory and log driver. */
  async info(): Promise<EngineInfo> {
    return await (await this.transport.request("GET", "/info")).json();
  }

  /** The total size of the Engine's images (bytes). */
  async imagesSize(): Promise<number> {
    const images: { Size?: number }[] = await (await this.transport.request("GET", "/images/json")).json();
    return images.reduce((sum, i) => sum + (i.Size ?? 0), 0);
  }

  /** Creates a container and returns its ID. */
  async createContainer(name: string, body: ContainerCreateBody): Promise<string> {
    const res = await this.transport.request("POST", "/containers/create", { query: { name }, body });
    return (await res.json()).Id;
  }

  async startContainer(id: string): Promise<void> {
    await (await this.transport.request("POST", `/containers/${id}/start`)).body?.cancel();
  }

  /** Stops a container: its stop signal, then SIGKILL after `timeoutSeconds`. */
  async stopContainer(id: string, timeoutSeconds: number, signal?: string): Promise<void> {
    try {
      const res = await this.transport.request("POST", `/containers/${id}/stop`, {
        query: { t: Math.max(0, Math.ceil(timeoutSeconds)), signal },
        // The Engine answers once the container is gone: the grace period, then SIGKILL.
        timeoutMs: (Math.max(0, Math.ceil(timeoutSeconds)) + 60) * 1000,
      });
      await res.body?.cancel();
    } catch (error) {
      if (!(error instanceof DockerError && (error.notFound || error.status === 304))) throw error;
    }
  }

  /**
   * Sends `signal` to a container's PID 1. For SIGKILL the Engine answers once
   * the container has exited. No error when it is not running or is gone.
   */
  async killContainer(id: string, signal = "SIGKILL"): Promise<void> {
    try {
      const res = await this.transport.request("POST", `/containers/${id}/kill`, { query: { signal } });
      await res.body?.cancel();
    } catch (error) {
      if (!(error instanceof DockerError && (error.notFound || error.status === 409))) throw error;
    }
  }

  /**
   * Waits up to `timeoutMs` for a container to stop running.
   *
   * @returns whether it stopped (or is gone) in time.
   */
  async waitContainer(id: string, timeoutMs: number): Promise<boolean> {
    const signal = AbortSignal.timeout(Math.max(0, timeoutMs));
    try {
      const res = await this.transport.request("POST", `/containers/${id}/wait`, {
        query: { condition: "not-running" },
        signal,
      });
      // The Engine sends the headers at once and the body when the container stops.
      await res.json();
      return true;
    } catch (error) {
      if (error instanceof DockerError && error.notFound) return true;
      if (signal.aborted) return false;
      throw error;
    }
  }

  /** Removes a container and its anonymous volumes; no error when it is already gone. */
  async removeContainer(id: string): Promise<void> {
    try {
      const res = await this.transport.request("DELETE", `/containers/${id}`, {
        query: { force: true, v: true },
      });
      await res.body?.cancel();
    } catch (error) {
      if (!(error instanceof DockerError && error.notFound)) throw error;
    }
  }

  /** Inspects an image; resolves `null` when the engine does not have it. */
  async inspectImage(ref: string): Promise<ImageInspect | null> {
    try {
      return await (await this.transport.request("GET", `/images/${ref}/json`)).json();
    } catch (error) {
      if (error instanceof DockerError && error.notFound) return null;
      throw error;
    }
  }

  /**
   * Pulls an image, calling `onProgress` with each progress message; `auth`
   * logs the engine in to the registry for this pull (`X-Registry-Auth`).
   *
   * @throws {DockerError} when the pull fails, including failures the engine
   * reports inside a 200 response's stream.
   */
  async pullImage(
    ref: string,
    onProgress?: (p: PullProgress) => void,
    signal?: AbortSignal,
    auth?: RegistryAuth,
    idleTimeoutMs: number = PULL_IDLE_TIMEOUT_MS,
  ): Promise<void> {
    const { repo, tag } = splitImageRef(ref);
    // A pull that says nothing for this long is dead: the Engine reports progress every few hundred ms.
    const idle = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), idleTimeoutMs);
    };
    const endpoint = `POST /images/create (pull ${ref})`;
    try {
      arm();
      const res = await this.transport.request("POST", "/images/create", {
        query: { fromImage: repo, tag },
        signal: signal ? AbortSignal.any([signal, idle.signal]) : idle.signal,
        stream: true,
        headers: auth ? { "x-registry-auth": registryAuthHeader(auth) } : undefined,
      });
      for await (const p of jsonLines<PullProgress>(res.body!)) {
        arm();
        if (p.error) throw new DockerError(500, endpoint, p.errorDetail?.message ?? p.error);
        onProgress?.(p);
      }
    } catch (error) {
      if (idle.signal.aborted && !signal?.aborted) {
        throw new DockerError(0, endpoint, `no progress for ${idleTimeoutMs / 1000} s; pull abandoned`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Which engine answers: Docker, or Podman's compatible service (known once {@link ping} resolved). */
  get engine(): EngineIdentity {
    return this.transport.engine;
  }

  /** Imports a root filesystem tarball as image `repo:tag`, with Dockerfile-style `changes`. */
  async importImage(tarball: Uint8Array, repo: string, tag: string, changes: string[] = []): Promise<void> {
    const res = await this.transport.request("POST", "/images/create", {
      query: importQuery(this.engine.kind, repo, tag, changes),
      body: tarball,
      timeoutMs: 300_000,
    });
    for await (const p of jsonLines<PullProgress>(res.body!)) {
      if (p.error) {
        throw new DockerError(500, "POST /images/create (import)", p.errorDetail?.message ?? p.error);
      }
    }
  }

  /**
   * Runs `cmd` in a running container and collects its output (stdout and
   * stderr, interleaved, at most 10 KiB kept) and exit code.
   *
   * @throws {DockerError} when the container is gone or not running.
   * @throws {DOMException} `TimeoutError`/`AbortError` when `signal` aborts first.
   */
  async exec(id: string, cmd: string[], signal?: AbortSignal): Promise<{ exitCode: number; output: string }> {
    const created = await this.transport.request("POST", `/containers/${id}/exec`, {
      body: { Cmd: cmd, AttachStdout: true, AttachStderr: true },
      signal,
    });
    const execId: string = (await created.json()).Id;
    const started = await this.transport.request("POST", `/exec/${execId}/start`, {
      body: { Detach: false, Tty: false },
      signal,
      stream: true,
    });
    // The command's output is the workload's: keep 10 KiB, drain the rest without holding it.
    const output = await readLimitedText(demultiplex(started.body!), 10_240, { drain: true });
    const inspect = await (await this.transport.request("GET", `/exec/${execId}/json`, { signal })).json();
    return { exitCode: inspect.ExitCode ?? -1, output };
  }

  /** Creates a named volume with the `local` driver and `options` (e.g. a tmpfs). */
  async createVolume(
    name: string,
    labels: Record<string, string>,
    options: Record<string, string>,
  ): Promise<void> {
    const res = await this.transport.request("POST", "/volumes/create", {
      body: { Name: name, Driver: "local", DriverOpts: options, Labels: labels },
    });
    await res.body?.cancel();
  }

  /** Names of the volumes whose labels match every `key=value` in `labels`. */
  async listVolumes(labels: string[]): Promise<string[]> {
    const res = await this.transport.request("GET", "/volumes", {
      query: { filters: JSON.stringify({ label: labels }) },
    });
    const body: { Volumes: { Name: string }[] | null } = await res.json();
    return (body.Volumes ?? []).map((v) => v.Name);
  }

  /** Removes a named volume; no error when it is already gone. */
  async removeVolume(name: string): Promise<void> {
    try {
      await (await this.transport.request("DELETE", `/volumes/${name}`, { query: { force: true } })).body
        ?.cancel();
    } catch (error) {
      if (!(error instanceof DockerError && error.notFound)) throw error;
    }
  }

  /**
   * Follows the engine's event stream for containers matching `labels`
   * until `signal` aborts or the stream ends; actions named as Docker names them.
   * `onOpen` is called once the Engine has answered, before the first event.
   */
  async *events(labels: string[], signal: AbortSignal, onOpen?: () => void): AsyncGenerator<EngineEvent> {
    const res = await this.transport.request("GET", "/events", {
      query: { filters: JSON.stringify({ type: ["container"], label: labels }) },
      signal,
      stream: true,
    });
    onOpen?.();
    for await (const event of jsonLines<EngineEvent>(res.body!)) {
      yield normalizeEvent(this.engine.kind, event);
    }
  }
}
