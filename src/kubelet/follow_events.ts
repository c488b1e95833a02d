/**
 * Follows the Engine's event stream for one node's containers, reconnecting
 * with backoff (1 s doubling to 30 s) whenever it drops, until `signal` aborts.
 *
 * @module
 */
import type { DockerClient } from "../docker/client.ts";
import type { EngineEvent } from "../docker/types.ts";
import { LABEL_NODE } from "../runtime/labels.ts";
import type { ErrorThrottle } from "../error_throttle.ts";
import { Backoff, sleep } from "../timers.ts";

/** After this long without an event, the Engine is pinged to tell a quiet stream from a dead one (ms). */
export const EVENTS_QUIET_CHECK_MS = 30_000;

/** What the follower tells about the stream itself. */
export interface EventStreamState {
  /** The Engine answered: events flow from now on. */
  opened?: () => void;
  /** The stream ended or failed (events may be missed until it opens again). */
  dropped?: () => void;
}

/**
 * Calls `onEvent` for each container event of `node`, and `state`'s hooks as
 * the stream opens and drops; resolves when `signal` aborts.
 */
export async function followEvents(
  docker: DockerClient,
  node: string,
  signal: AbortSignal,
  onEvent: (event: EngineEvent) => void,
  throttle: ErrorThrottle,
  quietCheckMs: number = EVENTS_QUIET_CHECK_MS,
  state: EventStreamState = {},
): Promise<void> {
  for (const backoff = new Backoff(1_000, 30_000); !signal.aborted;) {
    const connection = new AbortController();
    const stop = () => connection.abort();
    signal.addEventListener("abort", stop, { once: true });
    let lastEvent = Date.now();
    // The Engine sends nothing on a quiet node: a stream that is silent and an Engine that no
    // longer answers a ping means the connection is dead, so drop it and reconnect.
    const watchdog = setInterval(() => {
      if (Date.now() - lastEvent < quietCheckMs) return;
      lastEvent = Date.now();
      docker.ping(AbortSignal.timeout(5_000)).catch(() => connection.abort());
    }, Math.min(quietCheckMs, 5_000));
    try {
      for await (const event of docker.events([`${LABEL_NODE}=${node}`], connection.signal, state.opened)) {
        backoff.reset();
        lastEvent = Date.now();
        onEvent(event);
      }
    } catch (error) {
      if (signal.aborted) return;
      throttle.report("events", "docker event stream dropped; reconnecting", error);
    } finally {
      clearInterval(watchdog);
      signal.removeEventListener("abort", stop);
      if (!signal.aborted) state.dropped?.();
    }
    await sleep(backoff.next(), signal);
  }
}
