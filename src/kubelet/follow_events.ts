/**
 * Follows the Engine's event stream for one node's containers, reconnecting
 * with backoff (1 s doubling to 30 s) whenever it drops, until `signal` aborts.
 *
 * @module
 */
import type { DockerClient } from "../docker/client.ts";
import type { EngineEvent } from "../docker/types.ts";
import { LABEL_NODE } from "../runtime/labels.ts";
import type { ErrorThrottle } from "./error_throttle.ts";

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

/** Calls `onEvent` for each container event of `node`; resolves when `signal` aborts. */
export async function followEvents(
  docker: DockerClient,
  node: string,
  signal: AbortSignal,
  onEvent: (event: EngineEvent) => void,
  throttle: ErrorThrottle,
): Promise<void> {
  for (let delay = 1_000; !signal.aborted;) {
    try {
      for await (const event of docker.events([`${LABEL_NODE}=${node}`], signal)) {
        delay = 1_000;
        onEvent(event);
      }
    } catch (error) {
      if (signal.aborted) return;
      throttle.report("events", "docker event stream dropped; reconnecting", error);
    }
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 30_000);
  }
}
