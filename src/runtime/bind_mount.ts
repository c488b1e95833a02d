/**
 * The Engine's structured bind mount.
 *
 * @module
 */
import type { EngineMount } from "../docker/types.ts";

/**
 * One bind mount in the Engine's structured form (`HostConfig.Mounts`, API
 * 1.25+). Unlike a `src:dst[:opts]` string in `Binds`, no character of a path
 * can turn into a mount option, and a missing source is an error instead of
 * a directory the Engine creates.
 */
export function bindMount(source: string, target: string, readOnly = false): EngineMount {
  return {
    Type: "bind",
    Source: source,
    Target: target,
    ReadOnly: readOnly,
    BindOptions: { Propagation: "rprivate" },
  };
}
