/**
 * HostConfig settings an engine needs for a container to see what it sees on
 * Docker. On Podman's compatible API (4.x):
 *
 * - a container that joins the infra container's network namespace keeps its
 *   own UTS namespace (host name = its ID), where Docker gives it the infra
 *   container's host name: it joins the infra container's UTS namespace
 *   (`UTSMode: container:<infra>`, which Docker would refuse), as a pod's
 *   containers share one in Kubernetes;
 * - the primary group of `User` (`uid:gid`) is not among the process's
 *   supplementary groups, where Docker (and containerd under the real
 *   kubelet) put it: it is added to `GroupAdd`.
 *
 * @module
 */
import type { Pod } from "../api/types.ts";
import type { EngineKind } from "../docker/engine_kind.ts";

/**
 * What to add to a container's HostConfig on `engine`; nothing on Docker.
 *
 * @param user the container's `User` as the kubelet sets it (`uid[:gid]`)
 * @param groupAdd the container's `GroupAdd` as the kubelet sets it
 */
export function engineHostConfig(
  engine: EngineKind,
  pod: Pod,
  sandboxId: string,
  user: string | undefined,
  groupAdd: string[] | undefined,
): Record<string, unknown> {
  if (engine !== "podman") return {};
  const out: Record<string, unknown> = {};
  if (!pod.spec.hostNetwork) out.UTSMode = `container:${sandboxId}`;
  const gid = /^[^:]*:(\d+)$/.exec(user ?? "")?.[1];
  if (gid !== undefined && !(groupAdd ?? []).includes(gid)) out.GroupAdd = [...(groupAdd ?? []), gid];
  return out;
}
