/**
 * CrashLoopBackOff as the kubelet does it: the first restart at once, then
 * waits of 10 s doubling to a 5 minute cap, measured from the container's
 * last exit, reset once a container has run for 10 minutes. The step lives
 * on the container's labels, so it survives kubelet restarts.
 *
 * @module
 */
import type { ObservedContainer } from "./observed.ts";

/** The first wait, in seconds. */
export const INITIAL_BACKOFF_SECONDS = 10;
/** The longest wait, in seconds. */
export const MAX_BACKOFF_SECONDS = 300;
/** A container that ran this long (ms) starts its backoff afresh. */
export const BACKOFF_RESET_MS = 10 * 60 * 1000;

function ranFor(c: ObservedContainer): number {
  if (!c.startedAt || !c.finishedAt) return 0;
  return Date.parse(c.finishedAt) - Date.parse(c.startedAt);
}

function finishedAt(c: ObservedContainer): number {
  const t = c.finishedAt ? Date.parse(c.finishedAt) : NaN;
  return Number.isFinite(t) && t > 0 ? t : Date.parse(c.createdAt);
}

/** Milliseconds `c` (dead) still has to wait before it may restart; 0 when it may now. */
export function remainingBackoffMs(c: ObservedContainer, now: number): number {
  if (ranFor(c) >= BACKOFF_RESET_MS) return 0;
  return Math.max(0, finishedAt(c) + c.backoffSeconds * 1000 - now);
}

/** The backoff step to record on the container that replaces `c`. */
export function nextBackoffSeconds(c: ObservedContainer, _now: number): number {
  if (ranFor(c) >= BACKOFF_RESET_MS) return INITIAL_BACKOFF_SECONDS;
  return Math.min(MAX_BACKOFF_SECONDS, Math.max(INITIAL_BACKOFF_SECONDS, c.backoffSeconds * 2));
}
