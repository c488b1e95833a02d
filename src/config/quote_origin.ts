/**
 * A manifest's file name or URL as it goes into a log line or a problem: as
 * written when it is plain, JSON-quoted when it holds a control character,
 * a quote or a backslash, so that a name can never forge a line of its own.
 *
 * @module
 */

/** Characters that would break a log line or be invisible in it. */
// deno-lint-ignore no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f"\\\u2028\u2029]/;

/**
 * `origin` as written, or JSON-quoted when it holds an unsafe character.
 *
 * @example Usage
 * ```ts
 * quoteOrigin("/etc/kubernetes/manifests/etcd.yaml"); // as is
 * quoteOrigin("/m/a\nE1127 forged.yaml"); // "\"/m/a\\nE1127 forged.yaml\""
 * ```
 */
export function quoteOrigin(origin: string): string {
  return UNSAFE.test(origin) ? JSON.stringify(origin) : origin;
}
