/**
 * The read-only, API-server-shaped view of the node, as a web-standard
 * handler the status server routes `/api`, `/apis` and `/version` to:
 * pods, their logs, the node, the kubelet's events and the namespaces the
 * pods use, with label and field selectors, watches and server-side
 * printing (Tables), so kubectl and client libraries work against the
 * read-only port. Every write answers 405 as a `metav1.Status`.
 *
 * @module
 */
import type { Pod, PodList } from "../../api/types.ts";
import type { Event } from "../../events/event_recorder.ts";
import { LogRequestError, type LogTarget } from "../container_logs.ts";
import { apiGroupList, apiResourceList, apiVersions, versionInfo } from "./discovery.ts";
import { checkFields, type FieldRequirement, matchesFields, parseFieldSelector } from "./field_selector.ts";
import { type LabelRequirement, matchesLabels, parseLabelSelector, SelectorError } from "./label_selector.ts";
import type { Node } from "./node.ts";
import { podLogContainer } from "./pod_log_container.ts";
import { badRequest, methodNotAllowed, notFound, status, statusResponse } from "./status_error.ts";
import {
  eventTable,
  type IncludeObject,
  type Namespace,
  namespaceTable,
  nodeTable,
  podTable,
  type Table,
  wantsTable,
} from "./table.ts";
import { type Versioned, WatchCache, type WatchEvent } from "./watch_cache.ts";
import { longLived } from "../../platform/long_lived.ts";

/** What the API view reads. */
export interface ApiSource {
  podList(): PodList;
  /** The node, built now. */
  node(): Promise<Node>;
  /** The kubelet's events. */
  events?: { readonly generation: number; list(): Event[] };
  /** A container's log. @throws {LogRequestError} */
  containerLogs?(
    target: LogTarget,
    query: URLSearchParams,
    signal: AbortSignal,
  ): Promise<ReadableStream<Uint8Array>>;
  /** Ends every watch when it aborts (the kubelet stops). */
  signal?: AbortSignal;
  /** The machine's architecture, for `/version`. */
  arch?: string;
  /** How often pods are compared while watches are open, in ms. @default 50 */
  pollMs?: number;
  /** @default {() => new Date()} */
  now?: () => Date;
}

/** Whether the status server should hand `path` to the API view. */
export function isApiPath(path: string): boolean {
  return path === "/version" || path === "/api" || path === "/apis" || path.startsWith("/api/") ||
    path.startsWith("/apis/");
}

const JSON_HEADERS = { "content-type": "application/json" };
const json = (body: unknown) => new Response(JSON.stringify(body), { headers: JSON_HEADERS });
const keyOf = (o: { metadata: { namespace?: string; name?: string } }) =>
  `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;
/** How often an open node watch reads the node's facts again, in ms. */
const NODE_POLL_MS = 10_000;
const NO_SUCH_PATH = () => status(404, "NotFound", "the server could not find the requested resource", {});

type Resource = "pods" | "events" | "nodes" | "namespaces";

/** The fields each resource can be selected by (the API server's selectable fields). */
function fieldsOf(resource: Resource, o: unknown): Record<string, string> {
  const meta = (o as { metadata: { name?: string; namespace?: string } }).metadata;
  const base = { "metadata.name": meta.name ?? "", "metadata.namespace": meta.namespace ?? "" };
  if (resource === "pods") {
    const p = o as Pod;
    return {
      ...base,
      "spec.nodeName": p.spec.nodeName ?? "",
      "spec.restartPolicy": p.spec.restartPolicy ?? "",
      "spec.schedulerName": p.spec.schedulerName ?? "",
      "spec.serviceAccountName": p.spec.serviceAccountName ?? "",
      "spec.hostNetwork": String(p.spec.hostNetwork ?? false),
      "status.phase": p.status?.phase ?? "",
      "status.podIP": p.status?.podIP ?? "",
      "status.nominatedNodeName": "",
    };
  }
  if (resource === "events") {
    const e = o as Event;
    const i = e.involvedObject;
    return {
      ...base,
      "involvedObject.kind": i.kind ?? "",
      "involvedObject.namespace": i.namespace ?? "",
      "involvedObject.name": i.name ?? "",
      "involvedObject.uid": i.uid ?? "",
      "involvedObject.apiVersion": i.apiVersion ?? "",
      "involvedObject.resourceVersion": "",
      "involvedObject.fieldPath": i.fieldPath ?? "",
      reason: e.reason,
      reportingComponent: e.reportingComponent,
      source: e.source.component,
      type: e.type,
    };
  }
  if (resource === "nodes") return { ...base, "spec.unschedulable": "false" };
  return { ...base, "status.phase": "Active" };
}

interface Query {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  include: IncludeObject;
  table: boolean;
}

/** Makes the API view's handler. */
export function createApiHandler(source: ApiSource): (request: Request) => Promise<Response> {
  const now = source.now ?? (() => new Date());
  const pods: WatchCache<Pod> = new WatchCache<Pod>(keyOf);
  const events: WatchCache<Event> = new WatchCache<Event>(keyOf);
  const nodes: WatchCache<Node> = new WatchCache<Node>(keyOf);
  let eventGeneration = -1;
  // Static pods have no creation time without an API server: the time the kubelet accepted them stands in.
  const syncPods = () =>
    pods.sync(
      source.podList().items.map((p) =>
        p.metadata.creationTimestamp || !p.status?.startTime
          ? p
          : { ...p, metadata: { ...p.metadata, creationTimestamp: p.status.startTime } }
      ),
    );
  const syncEvents = () => {
    if (!source.events || source.events.generation === eventGeneration) return;
    eventGeneration = source.events.generation;
    events.sync(source.events.list());
  };
  let lastNode: Node | undefined;
  const syncNode = async () => {
    const node = await source.node();
    // Heartbeat times change on every build: only a change beyond them is a new version.
    const strip = (n?: Node) =>
      n &&
      JSON.stringify({
        ...n,
        status: {
          ...n.status,
          conditions: n.status.conditions.map((c) => ({ ...c, lastHeartbeatTime: "" })),
        },
      });
    if (strip(node) !== strip(lastNode)) nodes.sync([node]);
    lastNode = node;
  };
  // Watches see changes by comparing snapshots, so the kubelet needs no hooks: only while a watch is open.
  let timer: ReturnType<typeof setInterval> | undefined;
  let nodeSyncedAt = 0;
  const poll = () => {
    if (pods.watchers + events.watchers + nodes.watchers === 0) {
      clearInterval(timer);
      timer = undefined;
      return;
    }
    syncPods();
    syncEvents();
    // The node's facts are read from /proc and the Engine: for node watches, every 10 s is enough.
    if (nodes.watchers > 0 && Date.now() - nodeSyncedAt > NODE_POLL_MS) {
      nodeSyncedAt = Date.now();
      syncNode().catch(() => {});
    }
  };
  const ensurePolling = () => timer ??= setInterval(poll, source.pollMs ?? 50);
  source.signal?.addEventListener("abort", () => {
    clearInterval(timer);
    for (const c of [pods, events, nodes]) c.close();
  }, { once: true });

  const namespaces = (): Namespace[] => {
    const first = new Map<string, string>();
    for (const p of source.podList().items) {
      const ns = p.metadata.namespace ?? "default";
      const t = p.metadata.creationTimestamp || p.status?.startTime || now().toISOString();
      if (!first.has(ns) || t < first.get(ns)!) first.set(ns, t);
    }
    if (!first.has("default")) first.set("default", now().toISOString());
    return [...first].sort().map(([name, t]) => ({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, creationTimestamp: t },
      spec: {},
      status: { phase: "Active" },
    }));
  };

  const toTable = (resource: Resource, items: unknown[], include: IncludeObject, rv?: string): Table => {
    if (resource === "pods") return podTable(items as Pod[], now(), include, rv);
    if (resource === "events") return eventTable(items as Event[], now(), include, rv);
    if (resource === "nodes") return nodeTable(items as Node[], now(), include, rv);
    return namespaceTable(items as Namespace[], now(), include);
  };

  const parseQuery = (resource: Resource, request: Request, url: URL): Query => {
    const q = url.searchParams;
    const fields = parseFieldSelector(q.get("fieldSelector") ?? "");
    checkFields(fields, fieldsOf(resource, { metadata: {}, spec: {}, involvedObject: {}, source: {} }));
    const include = q.get("includeObject");
    return {
      labels: parseLabelSelector(q.get("labelSelector") ?? ""),
      fields,
      include: include === "None" || include === "Object" ? include : "Metadata",
      table: wantsTable(request.headers.get("accept")),
    };
  };

  const KIND: Record<Resource, string> = {
    pods: "Pod",
    events: "Event",
    nodes: "Node",
    namespaces: "Namespace",
  };

  function list<T extends Versioned>(
    resource: Resource,
    cache: WatchCache<T> | undefined,
    items: T[],
    namespace: string | undefined,
    name: string | undefined,
    request: Request,
    url: URL,
  ): Response {
    const q = parseQuery(resource, request, url);
    const match = (o: T) =>
      (namespace === undefined || o.metadata.namespace === namespace) &&
      (name === undefined || o.metadata.name === name) &&
      matchesLabels(q.labels, o.metadata.labels) && matchesFields(q.fields, fieldsOf(resource, o));
    const watch = url.searchParams.get("watch");
    if (watch === "true" || watch === "1") {
      if (!cache) return statusResponse(methodNotAllowed(resource, "watch"));
      return watchResponse(resource, cache, match, q, request, url);
    }
    const rv = cache?.resourceVersion;
    const selected = items.filter(match);
    if (q.table) return json(toTable(resource, selected, q.include, rv));
    return json({
      kind: `${KIND[resource]}List`,
      apiVersion: "v1",
      metadata: rv ? { resourceVersion: rv } : {},
      items: selected,
    });
  }

  function watchResponse<T extends Versioned>(
    resource: Resource,
    cache: WatchCache<T>,
    match: (o: T) => boolean,
    q: Query,
    request: Request,
    url: URL,
  ): Response {
    const timeout = Number(url.searchParams.get("timeoutSeconds") ?? "");
    const signals = [request.signal];
    if (Number.isInteger(timeout) && timeout > 0) {
      signals.push(AbortSignal.timeout(Math.min(timeout, 86_400) * 1000));
    }
    const stream = cache.watch(
      url.searchParams.get("resourceVersion") ?? "",
      match,
      AbortSignal.any(signals),
    );
    if (!(stream instanceof ReadableStream)) {
      if (stream.code !== 410) return statusResponse(stream);
      // The watch cache's way: a 200 whose only event is the ERROR clients answer by listing again.
      return new Response(JSON.stringify({ type: "ERROR", object: stream }) + "\n", {
        headers: JSON_HEADERS,
      });
    }
    ensurePolling();
    const encoder = new TextEncoder();
    const encode = (e: WatchEvent<T>) =>
      encoder.encode(
        JSON.stringify({
          type: e.type,
          object: q.table ? toTable(resource, [e.object], q.include) : e.object,
        }) + "\n",
      );
    // A first newline (whitespace to every watch decoder) makes Bun send the headers at once: clients
    // wait for them before reading, and a watch with nothing to report yet would look hung.
    const framed = new TransformStream<WatchEvent<T>, Uint8Array>({
      start: (c) => c.enqueue(encoder.encode("\n")),
      transform: (e, c) => c.enqueue(encode(e)),
    });
    return longLived(
      new Response(stream.pipeThrough(framed), {
        headers: { ...JSON_HEADERS, "cache-control": "no-store" },
      }),
    );
  }

  async function logs(namespace: string, name: string, url: URL, request: Request): Promise<Response> {
    if (!source.containerLogs) return statusResponse(NO_SUCH_PATH());
    const pod = source.podList().items.find((p) =>
      p.metadata.namespace === namespace && p.metadata.name === name
    );
    if (!pod) return statusResponse(notFound("pods", name));
    const picked = podLogContainer(pod, url.searchParams.get("container") ?? "");
    if (typeof picked !== "string") return statusResponse(picked);
    try {
      const body = await source.containerLogs(
        { namespace, pod: name, container: picked },
        url.searchParams,
        request.signal,
      );
      const response = new Response(body, {
        headers: { "content-type": "text/plain", "cache-control": "no-store" },
      });
      return url.searchParams.get("follow") === "true" ? longLived(response) : response;
    } catch (error) {
      if (!(error instanceof LogRequestError)) throw error;
      const reason = { 400: "BadRequest", 404: "NotFound", 422: "Invalid" }[error.status] ?? "InternalError";
      return statusResponse(status(error.status, reason, error.message));
    }
  }

  async function route(request: Request, url: URL, path: string): Promise<Response> {
    if (path === "/version") return json(versionInfo(source.arch ?? "amd64"));
    if (path === "/api") return json(apiVersions(url.host));
    if (path === "/apis") return json(apiGroupList());
    if (path === "/api/v1") return json(apiResourceList());
    const parts = path.slice("/api/v1/".length).split("/").map(decodeURIComponent);
    if (!path.startsWith("/api/v1/")) return statusResponse(NO_SUCH_PATH());
    let namespace: string | undefined;
    if (parts[0] === "namespaces" && parts.length >= 3) {
      namespace = parts[1];
      parts.splice(0, 2);
    }
    const [resource, name, sub, ...rest] = parts;
    if (rest.length) return statusResponse(NO_SUCH_PATH());
    if (resource === "pods") {
      if (sub === "log" && namespace !== undefined) return await logs(namespace, name, url, request);
      if (sub !== undefined) return statusResponse(NO_SUCH_PATH());
      syncPods();
      const items = pods.list().items;
      if (name !== undefined && url.searchParams.get("watch") !== "true") {
        return get("pods", items, namespace, name, request, url);
      }
      return list("pods", pods, items, namespace, name, request, url);
    }
    if (resource === "events" && sub === undefined) {
      syncEvents();
      const items = events.list().items;
      if (name !== undefined && url.searchParams.get("watch") !== "true") {
        return get("events", items, namespace, name, request, url);
      }
      return list("events", events, items, namespace, name, request, url);
    }
    if (resource === "nodes" && sub === undefined && namespace === undefined) {
      await syncNode();
      const items = nodes.list().items;
      if (name !== undefined && url.searchParams.get("watch") !== "true") {
        return get("nodes", items, undefined, name, request, url);
      }
      return list("nodes", nodes, items, undefined, name, request, url);
    }
    if (resource === "namespaces" && sub === undefined && namespace === undefined) {
      const items = namespaces();
      if (name !== undefined) return get("namespaces", items, undefined, name, request, url);
      return list("namespaces", undefined, items, undefined, undefined, request, url);
    }
    return statusResponse(NO_SUCH_PATH());
  }

  function get(
    resource: Resource,
    items: Versioned[],
    namespace: string | undefined,
    name: string,
    request: Request,
    url: URL,
  ): Response {
    const found = items.find((o) =>
      o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace)
    );
    if (!found) return statusResponse(notFound(resource, name));
    if (wantsTable(request.headers.get("accept"))) {
      const include = url.searchParams.get("includeObject");
      return json(
        toTable(resource, [found], include === "None" || include === "Object" ? include : "Metadata"),
      );
    }
    return json(found);
  }

  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (request.method !== "GET" && request.method !== "HEAD") {
      const parts = path.split("/").slice(3);
      if (parts[0] === "namespaces" && parts.length >= 3) parts.splice(0, 2);
      const resource = parts[2] ? `${parts[0]}/${parts[2]}` : parts[0] ?? "";
      const verb = { POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" }[request.method] ??
        request.method.toLowerCase();
      return statusResponse(methodNotAllowed(resource, verb), { allow: "GET, HEAD" });
    }
    try {
      return await route(request, url, path);
    } catch (error) {
      if (error instanceof SelectorError) return statusResponse(badRequest(error.message));
      throw error;
    }
  };
}
