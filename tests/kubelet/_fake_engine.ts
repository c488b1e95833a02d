/**
 * An in-memory Docker Engine answering the calls a pod sync makes, for the
 * cases the real Engine cannot be made to show on demand: a call that never
 * answers, one that fails, a pod left half-created.
 *
 * @module
 */
import { DockerClient } from "../../src/docker/client.ts";
import { parseEndpoint, Transport } from "../../src/docker/transport.ts";

export interface FakeContainer {
  Id: string;
  Names: string[];
  Labels: Record<string, string>;
  State: string;
  Created: string;
  body: Record<string, unknown>;
}

/**
 * The Engine calls a sync makes, in memory. Creating the container `main`
 * of pod `hang` never answers (until the caller gives up on it).
 */
export class FakeEngine {
  containers = new Map<string, FakeContainer>();
  calls: string[] = [];
  /** Answers a call before the Engine does when it returns a response (a failure to inject). */
  intercept?: (method: string, path: string, url: URL) => Response | undefined;
  /** How late each event reaches the streams (ms): a busy Engine's stream lags its answers. */
  eventDelayMs = 0;
  #next = 1;
  /** The open `/events` streams. */
  #streams = new Set<ReadableStreamDefaultController<Uint8Array>>();

  /** A client of this Engine. */
  client(): DockerClient {
    return new DockerClient(new Transport(parseEndpoint("tcp://fake:1"), this.fetch));
  }

  /** Adds a container as if another kubelet run had made it. */
  add(name: string, labels: Record<string, string>, state = "created", image = "busybox"): string {
    const Id = String(this.#next++).padStart(64, "0");
    this.containers.set(Id, {
      Id,
      Names: [`/${name}`],
      Labels: labels,
      State: state,
      Created: new Date().toISOString(),
      body: { Image: image, Labels: labels },
    });
    return Id;
  }

  /**
   * Sends `action` of container `id` on every open event stream, as the
   * Engine sends one for each change (the fake sends `create`, `start`, `die`
   * and `destroy` itself); the attributes are the container's labels and name.
   */
  event(id: string, action: string): void {
    const c = this.containers.get(id);
    const attributes = { ...c?.Labels, name: c?.Names[0].slice(1) ?? "" };
    const now = Date.now();
    const line = JSON.stringify({
      Type: "container",
      Action: action,
      Actor: { ID: id, Attributes: attributes },
      time: Math.floor(now / 1000),
      timeNano: now * 1_000_000,
    });
    const send = () => {
      for (const stream of this.#streams) stream.enqueue(new TextEncoder().encode(`${line}\n`));
    };
    if (this.eventDelayMs > 0) setTimeout(send, this.eventDelayMs);
    else send();
  }

  /** Ends every open event stream, as an Engine restart does. */
  dropEvents(): void {
    for (const stream of this.#streams) stream.error(new Error("connection reset"));
    this.#streams.clear();
  }

  fetch = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const path = url.pathname.replace(/^\/v1\.\d+/, "");
    this.calls.push(`${req.method} ${path}`);
    const injected = this.intercept?.(req.method, path, url);
    if (injected) return injected;
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    if (path === "/_ping") return new Response("OK", { headers: { "api-version": "1.41" } });
    if (path === "/events") {
      // Open until the kubelet stops (or `dropEvents`).
      const streams = this.#streams;
      return new Response(
        new ReadableStream<Uint8Array>({
          start(c) {
            streams.add(c);
            req.signal.addEventListener("abort", () => {
              if (streams.delete(c)) c.error(new DOMException("aborted", "AbortError"));
            });
          },
        }),
      );
    }
    if (req.method === "GET" && /^\/images\/.+\/json$/.test(path)) {
      return json({ Id: "sha256:0", Config: { User: "" } });
    }
    if (req.method === "GET" && path === "/containers/json") {
      const labels: string[] = JSON.parse(url.searchParams.get("filters") ?? "{}").label ?? [];
      const rows = [...this.containers.values()].filter((c) =>
        labels.every((l) => {
          const [k, v] = l.split("=");
          return v === undefined ? k in c.Labels : c.Labels[k] === v;
        })
      );
      return json(rows.map(({ body: _, ...row }) => row));
    }
    if (req.method === "GET" && path === "/volumes") return json({ Volumes: [] });
    if (req.method === "POST" && path === "/containers/create") {
      const name = url.searchParams.get("name")!;
      if (name.startsWith("k8s_main_hang")) {
        await new Promise((_, reject) =>
          req.signal.addEventListener("abort", () => reject(req.signal.reason))
        );
      }
      const body = await req.json();
      const Id = String(this.#next++).padStart(64, "0");
      this.containers.set(Id, {
        Id,
        Names: [`/${name}`],
        Labels: body.Labels ?? {},
        State: "created",
        Created: new Date().toISOString(),
        body,
      });
      this.event(Id, "create");
      return json({ Id }, 201);
    }
    const m = /^\/containers\/([^/]+)(?:\/(json|start|stop))?$/.exec(path);
    const c = m && this.containers.get(m[1]);
    if (!m || !c) return json({ message: `no such container: ${path}` }, 404);
    if (req.method === "GET" && m[2] === "json") {
      return json({
        Id: c.Id,
        Created: c.Created,
        Image: "sha256:0",
        Config: { Image: (c.body.Image as string) ?? "", Labels: c.Labels },
        State: { Status: c.State, ExitCode: 0, StartedAt: c.Created, FinishedAt: "0001-01-01T00:00:00Z" },
        NetworkSettings: { IPAddress: "10.0.0.2", Networks: {} },
        HostConfig: {},
        Mounts: [],
      });
    }
    if (req.method === "POST" && m[2] === "start") {
      c.State = "running";
      this.event(c.Id, "start");
    } else if (req.method === "POST" && m[2] === "stop") {
      if (c.State === "running") this.event(c.Id, "die");
      c.State = "exited";
    } else if (req.method === "DELETE") {
      this.event(c.Id, "destroy");
      this.containers.delete(c.Id);
    }
    return new Response(null, { status: 204 });
  };

  /** Names of containers in `state` (any state when undefined). */
  names(state?: string): string[] {
    return [...this.containers.values()].filter((c) => !state || c.State === state).map((c) => c.Names[0]);
  }
}
