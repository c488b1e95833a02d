/**
 * Long-lived responses: bodies that may stay quiet for as long as the client
 * wants (a `follow` of a container's log, a watch). A platform whose server
 * closes idle responses (Bun's `idleTimeout`, 10 s by default) lifts that
 * limit for responses marked here, and only for them.
 *
 * @module
 */

const marked = new WeakSet<Response>();

/** Marks `response` as long-lived and returns it. */
export function longLived(response: Response): Response {
  marked.add(response);
  return response;
}

/** True when `response` was marked by {@link longLived}. */
export function isLongLived(response: Response): boolean {
  return marked.has(response);
}
