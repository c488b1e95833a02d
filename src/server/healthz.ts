/**
 * `/healthz` and `/healthz/{check}` as k8s.io/apiserver's healthz handlers
 * answer them: the root runs every check (`?exclude=` skips some,
 * `?verbose` lists them) and withholds failure reasons; a named check
 * answers `ok` or 500 with its reason.
 *
 * @module
 */

/** A named health check: resolves why it fails, or undefined when healthy. */
export interface HealthCheck {
  name: string;
  check(): string | undefined;
}

/** The check that always passes once the server answers. */
export const PING: HealthCheck = { name: "ping", check: () => undefined };

const TEXT = { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" };

/** Answers `/healthz` (no `name`) or `/healthz/{name}`; undefined when no check has that name. */
export function healthzResponse(
  checks: HealthCheck[],
  name: string | undefined,
  query: URLSearchParams,
): Response | undefined {
  if (name !== undefined) {
    const one = checks.find((c) => c.name === name);
    if (!one) return undefined;
    const failure = one.check();
    return failure === undefined
      ? new Response("ok", { headers: TEXT })
      : new Response(`internal server error: ${failure}\n`, { status: 500, headers: TEXT });
  }
  const excluded = new Set(query.getAll("exclude").flatMap((v) => v.split(",")).filter(Boolean));
  let out = "";
  let failed = false;
  for (const c of checks) {
    if (excluded.delete(c.name)) {
      out += `[+]${c.name} excluded: ok\n`;
      continue;
    }
    if (c.check() === undefined) out += `[+]${c.name} ok\n`;
    else {
      // The root is public: the reason is for /healthz/{name} only, as in Kubernetes.
      out += `[-]${c.name} failed: reason withheld\n`;
      failed = true;
    }
  }
  if (excluded.size) {
    out += `warn: some health checks cannot be excluded: no matches for ${
      [...excluded].map((e) => `"${e}"`).join(",")
    }\n`;
  }
  if (failed) return new Response(`${out}healthz check failed\n`, { status: 500, headers: TEXT });
  return new Response(query.has("verbose") ? `${out}healthz check passed\n` : "ok", { headers: TEXT });
}
