/**
 * Errors as the API server answers them: a `metav1.Status` with the reason
 * and code clients key on (`NotFound` 404, `MethodNotAllowed` 405, `Gone`
 * 410, ...), built as k8s.io/apimachinery's `errors.NewNotFound` & co. build
 * them, so kubectl prints `Error from server (NotFound): pods "x" not found`.
 *
 * @module
 */

/** A `metav1.Status` of failure. */
export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure";
  message: string;
  reason: string;
  details?: { name?: string; kind?: string; group?: string };
  code: number;
}

/** Builds a failure Status. */
export function status(
  code: number,
  reason: string,
  message: string,
  details?: Status["details"],
): Status {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** `errors.NewNotFound`: `pods "nope" not found`. */
export const notFound = (resource: string, name: string): Status =>
  status(404, "NotFound", `${resource} "${name}" not found`, { name, kind: resource });

/** `errors.NewMethodNotSupported`: the server is read-only. */
export const methodNotAllowed = (resource: string, verb: string): Status =>
  status(405, "MethodNotAllowed", `${verb} is not supported on resources of kind "${resource}"`, {
    kind: resource,
  });

/** `errors.NewBadRequest`. */
export const badRequest = (message: string): Status => status(400, "BadRequest", message);

/** `errors.NewResourceExpired`: a watch from a resourceVersion the server no longer keeps. */
export const gone = (message: string): Status => status(410, "Expired", message);

/** `errors.NewTooManyRequests`: more watchers than the server serves. */
export const tooManyRequests = (message: string): Status => status(429, "TooManyRequests", message);

/** The Status as a JSON response with its code. */
export function statusResponse(s: Status, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(s), {
    status: s.code,
    headers: { "content-type": "application/json", ...headers },
  });
}
