/**
 * Deep copies of decoded manifests.
 *
 * @module
 */

/**
 * A deep copy of a JSON-like value (objects, arrays, strings, numbers,
 * booleans, null), as the manifest pipeline copies pods. Unlike
 * `structuredClone`, which Bun makes copy every string (10 to 20 ms for a
 * 1 MiB value), strings are shared: they cannot change. A value reached
 * twice (a YAML alias) is copied twice. Recursive: the decoding bounds a
 * manifest's depth.
 *
 * @example Usage
 * ```ts
 * const pod = { metadata: { labels: { app: "web" } } };
 * const copy = copyJson(pod);
 * copy.metadata.labels.app = "db"; // pod.metadata.labels.app is still "web"
 * ```
 */
export function copyJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyJson) as T;
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // A "__proto__" key (JSON.parse and yaml make it an own property) stays one, and sets no prototype.
    if (key === "__proto__") {
      Object.defineProperty(copy, key, {
        value: copyJson(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else copy[key] = copyJson(item);
  }
  return copy as T;
}
