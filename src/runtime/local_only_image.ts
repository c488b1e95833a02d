/**
 * Images no registry holds. Podman names an image it loaded, imported or
 * built without a registry `localhost/<name>` and resolves a short name
 * (`nginx`) to it; pulling such a name makes Podman ask `https://localhost/`
 * for it, which fails after seconds of retries. The kubelet does not pull
 * them, whatever the pull policy: there is nowhere to pull them from.
 *
 * @module
 */
import type { EngineKind } from "../docker/engine_kind.ts";
import type { ImageInspect } from "../docker/types.ts";

/** True when `engine` is Podman and every name of the local `image` is under `localhost/`. */
export function isLocalOnlyImage(engine: EngineKind, image: ImageInspect | null): boolean {
  if (engine !== "podman" || !image) return false;
  const names = image.RepoTags ?? [];
  return names.length > 0 && names.every((n) => n.startsWith("localhost/"));
}
