/**
 * Engine events in Docker's words. Podman's compatible `/events` stream has
 * Docker's shape (`Type`, `Action`, `Actor.Attributes` with the labels,
 * `time`, `timeNano`) but its own action names where libpod's differ: a
 * removed container is `remove` (Docker: `destroy`), and it adds `init`,
 * `cleanup`, `sync`, ... that Docker never sends.
 *
 * @module
 */
import type { EngineKind } from "./engine_kind.ts";
import type { EngineEvent } from "./types.ts";

/** libpod's container action names that mean what Docker's name does. */
const PODMAN_ACTIONS: Record<string, string> = { remove: "destroy", died: "die" };

/** `event` with its action named as Docker names it; unchanged from Docker. */
export function normalizeEvent(engine: EngineKind, event: EngineEvent): EngineEvent {
  if (engine !== "podman" || event.Type !== "container") return event;
  const action = Object.hasOwn(PODMAN_ACTIONS, event.Action) ? PODMAN_ACTIONS[event.Action] : undefined;
  return action ? { ...event, Action: action } : event;
}
