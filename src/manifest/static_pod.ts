/**
 * What the kubelet does to a pod read from a manifest before it runs it
 * (k8s.io/kubernetes pkg/kubelet/config/common.go `applyDefaults`).
 *
 * @module
 */

import type { Pod } from "../api/types.ts";
import { canonicalJson } from "../canonical_json.ts";
import { copyJson } from "./copy_json.ts";

/** Annotation holding the pod's content hash, equal to its UID. */
export const CONFIG_HASH_ANNOTATION = "kubernetes.io/config.hash";
/** Annotation naming the source the pod came from: `file` or `http`. */
export const CONFIG_SOURCE_ANNOTATION = "kubernetes.io/config.source";
/** Annotation holding when the kubelet read the pod; differs on every read. */
export const CONFIG_SEEN_ANNOTATION = "kubernetes.io/config.seen";

/** Where a static pod was read from and for which node. */
export interface StaticPodOptions {
  /** The node's name; appended, lower-cased, to the pod's name. */
  nodeName: string;
  source: "file" | "http";
  /** The manifest file's path or the URL. */
  origin: string;
  /** When the manifest was read. */
  seen: Date;
}

/**
 * Turns a defaulted, valid pod from a manifest into the static pod the kubelet
 * runs; `pod` is not changed.
 *
 * The name becomes `<name>-<nodename>`, the namespace `default` when empty,
 * `spec.nodeName` the node. Unless the manifest sets one, the UID is a hash of
 * the pod's content and of where it came from (the node and the file, or the
 * URL), so it changes exactly when the manifest's pod does: the first 32 hex
 * digits of a SHA-256, where the kubelet uses MD5. The `config.hash`,
 * `config.source` and `config.seen` annotations are set; pods from files also
 * tolerate every `NoExecute` taint, as the kubelet's do. The status is
 * `Pending`.
 *
 * @example Usage
 * ```ts
 * import { applyDefaults } from "./defaults.ts";
 *
 * const manifest = { metadata: { name: "web" }, spec: { containers: [{ name: "web", image: "nginx" }] } };
 * const opts = { nodeName: "node1", source: "file", origin: "/etc/kubelet.d/web.yaml", seen: new Date() } as const;
 * const pod = await toStaticPod(applyDefaults(manifest), opts);
 * podFullName(pod); // "web-node1_default"
 * ```
 */
export async function toStaticPod(pod: Pod, opts: StaticPodOptions): Promise<Pod> {
  const copy = copyJson(pod);
  const meta = copy.metadata;
  const where = opts.source === "file" ? `host:${opts.nodeName}file:${opts.origin}` : `url:${opts.origin}`;
  meta.uid ||= await sha256Hex(canonicalJson(pod) + where);
  meta.name = `${meta.name}-${opts.nodeName.toLowerCase()}`;
  meta.namespace ||= "default";
  meta.creationTimestamp ??= null;
  meta.annotations = {
    ...meta.annotations,
    [CONFIG_HASH_ANNOTATION]: meta.uid,
    [CONFIG_SOURCE_ANNOTATION]: opts.source,
    [CONFIG_SEEN_ANNOTATION]: formatRfc3339Nano(opts.seen),
  };
  copy.spec.nodeName = opts.nodeName;
  if (opts.source === "file") addNoExecuteToleration(copy);
  copy.status = { phase: "Pending" };
  return copy;
}

/**
 * The kubelet's key for a pod: `<name>_<namespace>`.
 *
 * @example Usage
 * ```ts
 * podFullName({ metadata: { name: "web-node1", namespace: "default" }, spec: { containers: [] } }); // "web-node1_default"
 * ```
 */
export function podFullName(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}`;
}

/** Formats a time as Go's RFC3339Nano does in UTC: no trailing zeros in the fraction. */
export function formatRfc3339Nano(time: Date): string {
  // "…:05.120Z" -> "…:05.12Z", "…:05.000Z" -> "…:05Z".
  return time.toISOString().replace(/\.?0+Z$/, "Z");
}

function addNoExecuteToleration(pod: Pod): void {
  const tolerations = Array.isArray(pod.spec.tolerations)
    ? pod.spec.tolerations as Record<string, unknown>[]
    : [];
  const tolerates = tolerations.some((t) => !t.key && t.operator === "Exists" && t.effect === "NoExecute");
  pod.spec.tolerations = tolerates
    ? tolerations
    : [...tolerations, { operator: "Exists", effect: "NoExecute" }];
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}
