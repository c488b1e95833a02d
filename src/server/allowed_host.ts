/**
 * Which `Host` headers the status server answers, against DNS rebinding: a
 * web page on a name its owner controls can point that name at 127.0.0.1,
 * and the browser then sends it requests carrying `Host: <that name>`. Only
 * names this node answers to are served; the port is ignored.
 *
 * @module
 */

/** What, besides loopback and IP literals, a Host header may name. */
export interface AllowedHostOptions {
  /** The node's name (`--hostname-override`, else the host name). */
  nodeName?: string;
  /** The configured `--address`. */
  address?: string;
}

/**
 * The host name of a `Host` header value (`name`, `name:port`, `[v6]:port`),
 * lower-cased, without a trailing dot; undefined when it cannot be parsed.
 */
export function hostHeaderName(host: string): string | undefined {
  if (host === "" || /[\s/?#@\\]/.test(host)) return undefined;
  try {
    const name = new URL(`http://${host}/`).hostname.toLowerCase().replace(/\.$/, "");
    return name || undefined;
  } catch {
    return undefined;
  }
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Whether a request naming `host` may be answered: `localhost`, any IP
 * literal (127.x and `[::1]` among them), the node's name or the configured
 * `--address`.
 *
 * An IP literal is safe to accept: rebinding needs a name the attacker's page
 * is served from, and a page whose origin is an IP address is served by that
 * address itself. Accepting them keeps `--address 0.0.0.0` usable through
 * any of the host's addresses.
 *
 * @example Usage
 * ```ts
 * isAllowedHost("127.0.0.1:10255", {}); // true
 * isAllowedHost("evil.example", { nodeName: "node1" }); // false
 * ```
 */
export function isAllowedHost(host: string, opts: AllowedHostOptions): boolean {
  const name = hostHeaderName(host);
  if (name === undefined) return false;
  if (name === "localhost" || IPV4.test(name) || name.startsWith("[")) return true;
  const allowed = [opts.nodeName, opts.address]
    .filter((n): n is string => !!n)
    .map((n) => hostHeaderName(n.includes(":") && !n.startsWith("[") ? `[${n}]` : n));
  return allowed.includes(name);
}
