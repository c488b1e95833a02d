/**
 * A container's environment with its ConfigMap and Secret sources resolved:
 * `envFrom` first, then `env` (later wins), as the kubelet's
 * `makeEnvironmentVariables` builds it; skipped `envFrom` keys become the
 * kubelet's `InvalidEnvironmentVariableNames` warning event.
 *
 * @module
 */
import type { Container, EnvVar, Pod } from "../api/types.ts";
import { type ConfigObjects, NO_CONFIG_OBJECTS } from "../api/config_objects.ts";
import { type EventSink, podRef } from "../events/event_recorder.ts";
import { containerEnv } from "./container_env.ts";
import { envFromObjects, keyRefValue } from "./env_objects.ts";

/**
 * `NAME=value` strings of `container`'s environment; `resolve` gives the
 * value of the other `valueFrom` sources (fieldRef, resourceFieldRef).
 *
 * @throws {Error} with the kubelet's message when a ConfigMap, Secret or key is missing and not optional
 */
export function objectEnv(
  ctx: { objects?: ConfigObjects; events?: EventSink },
  pod: Pod,
  container: Container,
  resolve: (env: EnvVar) => string | undefined,
): string[] {
  const objects = ctx.objects ?? NO_CONFIG_OBJECTS;
  const from = envFromObjects(pod, container, objects);
  for (const { message } of from.skipped) {
    ctx.events?.event(podRef(pod), "Warning", "InvalidEnvironmentVariableNames", message);
  }
  return containerEnv(container, (e) => {
    const value = keyRefValue(pod, e, objects);
    return value === undefined ? resolve(e) : value;
  }, from.vars);
}
