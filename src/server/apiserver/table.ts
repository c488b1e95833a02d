/**
 * Server-side printing: the `meta.k8s.io/v1` Table the API server answers
 * for `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, with the
 * columns kubectl prints (pkg/printers/internalversion/printers.go). Columns
 * of priority 1 are the extra ones of `-o wide`.
 *
 * @module
 */
import type { Pod } from "../../api/types.ts";
import type { Event } from "../../events/event_recorder.ts";
import { humanDuration, podRow } from "../pod_row.ts";
import type { Node } from "./node.ts";

/** One column's definition. */
export interface TableColumn {
  name: string;
  type: "string" | "integer";
  format: string;
  description: string;
  priority: number;
}

/** A Table of rows, each with the object it prints. */
export interface Table {
  kind: "Table";
  apiVersion: "meta.k8s.io/v1";
  metadata: { resourceVersion?: string };
  columnDefinitions: TableColumn[];
  rows: { cells: (string | number)[]; object?: unknown }[];
}

/** `includeObject`: what each row carries besides its cells. @default "Metadata" */
export type IncludeObject = "None" | "Metadata" | "Object";

/** Whether an Accept header asks for a Table (any `as=Table` alternative of `meta.k8s.io`). */
export function wantsTable(accept: string | null): boolean {
  return (accept ?? "").split(",").some((part) => {
    const params = part.split(";").map((p) => p.trim());
    return params.includes("as=Table") && params.includes("g=meta.k8s.io");
  });
}

const col = (name: string, description: string, priority = 0, format = ""): TableColumn => ({
  name,
  type: "string",
  format,
  description,
  priority,
});

const POD_COLUMNS = [
  col("Name", "Name must be unique within a namespace.", 0, "name"),
  col("Ready", "The aggregate readiness state of this pod for accepting traffic."),
  col("Status", "The aggregate status of the containers in this pod."),
  col(
    "Restarts",
    "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
  ),
  col("Age", "CreationTimestamp is a timestamp representing the server time when this object was created."),
  col(
    "IP",
    "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.",
    1,
  ),
  col("Node", "NodeName is a request to schedule this pod onto a specific node.", 1),
  col("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node.", 1),
  col("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
];

const NODE_COLUMNS = [
  col("Name", "Name must be unique within a namespace.", 0, "name"),
  col("Status", "The status of the node"),
  col("Roles", "The roles of the node"),
  col("Age", "CreationTimestamp is a timestamp representing the server time when this object was created."),
  col("Version", "Kubelet Version reported by the node."),
  col(
    "Internal-IP",
    "List of addresses reachable to the node. Queried from cloud provider, if available.",
    1,
  ),
  col(
    "External-IP",
    "List of addresses reachable to the node. Queried from cloud provider, if available.",
    1,
  ),
  col(
    "OS-Image",
    "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).",
    1,
  ),
  col(
    "Kernel-Version",
    "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
    1,
  ),
  col(
    "Container-Runtime",
    "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).",
    1,
  ),
];

const EVENT_COLUMNS: TableColumn[] = [
  col("Last Seen", "The time since the last occurrence of this event."),
  col("Type", "Type of this event (Normal, Warning), new types could be added in the future."),
  col(
    "Reason",
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  col("Object", "The object this Event is about."),
  col("Subobject", "The subobject this Event is about (fieldPath).", 1),
  col("Source", "The component reporting this event.", 1),
  col("Message", "A human-readable description of the status of this operation."),
  col("First Seen", "The time at which the event was first recorded.", 1),
  { ...col("Count", "The number of times this event has occurred.", 1), type: "integer" },
  col("Name", "Name must be unique within a namespace.", 1, "name"),
];

const NAMESPACE_COLUMNS = [
  col("Name", "Name must be unique within a namespace.", 0, "name"),
  col("Status", "The status of the namespace"),
  col("Age", "CreationTimestamp is a timestamp representing the server time when this object was created."),
];

function rowObject(object: { metadata: unknown }, include: IncludeObject): unknown {
  if (include === "None") return undefined;
  if (include === "Object") return object;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: object.metadata };
}

function table(
  columns: TableColumn[],
  rows: { cells: (string | number)[]; object: { metadata: unknown } }[],
  include: IncludeObject,
  resourceVersion?: string,
): Table {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: resourceVersion ? { resourceVersion } : {},
    columnDefinitions: columns,
    rows: rows.map(({ cells, object }) => {
      const o = rowObject(object, include);
      return o === undefined ? { cells } : { cells, object: o };
    }),
  };
}

const since = (time: string | null | undefined, now: Date) => {
  const t = time ? Date.parse(time) : NaN;
  return Number.isNaN(t) ? "<unknown>" : humanDuration(now.getTime() - t);
};

/** The pods as `kubectl get pods` prints them. */
export function podTable(pods: Pod[], now: Date, include: IncludeObject = "Metadata", rv?: string): Table {
  return table(
    POD_COLUMNS,
    pods.map((pod) => {
      const r = podRow(pod, now);
      const gates = (pod.spec.readinessGates as unknown[] | undefined)?.length ?? 0;
      return {
        cells: [
          r.name,
          r.ready,
          r.status,
          r.restarts,
          r.age,
          r.ip,
          r.node,
          "<none>",
          gates ? String(gates) : "<none>",
        ],
        object: pod,
      };
    }),
    include,
    rv,
  );
}

/** The nodes as `kubectl get nodes` prints them. */
export function nodeTable(nodes: Node[], now: Date, include: IncludeObject = "Metadata", rv?: string): Table {
  return table(
    NODE_COLUMNS,
    nodes.map((node) => {
      const ready = node.status.conditions.find((c) => c.type === "Ready");
      const address = (type: string) =>
        node.status.addresses.find((a) => a.type === type)?.address ?? "<none>";
      const info = node.status.nodeInfo;
      return {
        cells: [
          node.metadata.name,
          ready?.status === "True" ? "Ready" : ready?.status === "False" ? "NotReady" : "Unknown",
          "<none>",
          since(node.metadata.creationTimestamp, now),
          info.kubeletVersion,
          address("InternalIP"),
          address("ExternalIP"),
          info.osImage || "<unknown>",
          info.kernelVersion || "<unknown>",
          info.containerRuntimeVersion || "<unknown>",
        ],
        object: node,
      };
    }),
    include,
    rv,
  );
}

/** The events as `kubectl get events` prints them. */
export function eventTable(
  events: Event[],
  now: Date,
  include: IncludeObject = "Metadata",
  rv?: string,
): Table {
  return table(
    EVENT_COLUMNS,
    events.map((e) => ({
      cells: [
        since(e.lastTimestamp, now),
        e.type,
        e.reason,
        `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}`,
        e.involvedObject.fieldPath ?? "",
        `${e.source.component}, ${e.source.host}`,
        e.message.trim(),
        since(e.firstTimestamp, now),
        e.count,
        e.metadata.name,
      ],
      object: e,
    })),
    include,
    rv,
  );
}

/** A Namespace object, as far as this server knows one. */
export interface Namespace {
  apiVersion: "v1";
  kind: "Namespace";
  metadata: { name: string; creationTimestamp: string; resourceVersion?: string };
  spec: Record<string, never>;
  status: { phase: "Active" };
}

/** The namespaces as `kubectl get namespaces` prints them. */
export function namespaceTable(
  namespaces: Namespace[],
  now: Date,
  include: IncludeObject = "Metadata",
): Table {
  return table(
    NAMESPACE_COLUMNS,
    namespaces.map((n) => ({
      cells: [n.metadata.name, n.status.phase, since(n.metadata.creationTimestamp, now)],
      object: n,
    })),
    include,
  );
}
