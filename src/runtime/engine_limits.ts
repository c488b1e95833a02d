/**
 * What a pod may ask that an engine cannot do as asked. Podman's compatible
 * API (4.x) accepts a volume mount's `VolumeOptions.Subpath` and ignores it,
 * mounting the whole volume: a `subPath` into a `medium: Memory` emptyDir
 * (a tmpfs volume) would show the container the whole volume. Such a
 * container is refused rather than given more than it asked for. (Other
 * `subPath`s are bind mounts of host paths, which Podman honours.)
 *
 * @module
 */
import type { Container, Pod } from "../api/types.ts";
import type { EngineKind } from "../docker/engine_kind.ts";

/** Why `container` of `pod` cannot run on `engine` as its spec asks; undefined when it can. */
export function engineRefusal(engine: EngineKind, pod: Pod, container: Container): string | undefined {
  if (engine !== "podman") return undefined;
  const memory = new Set(
    (pod.spec.volumes ?? []).filter((v) => v.emptyDir?.medium === "Memory").map((v) => v.name),
  );
  const mount = (container.volumeMounts ?? []).find((m) => m.subPath && memory.has(m.name));
  if (!mount) return undefined;
  return `volumeMount ${mount.name} at ${mount.mountPath}: subPath of a medium: Memory emptyDir is not ` +
    `supported on Podman (its API ignores the volume subpath and would mount the whole volume)`;
}
