/**
 * JSON with object keys sorted, so that key order does not change a hash of it.
 *
 * @module
 */

/**
 * `value` as JSON with every object's keys sorted (by UTF-16 code units) and keys whose value is
 * undefined left out. An undefined array element is written as JSON writes it (`null`), or, with
 * `undefinedInArray: "empty"`, as nothing (`[1,]`): the form the container hash has always been
 * computed over, kept so that no running container's hash changes.
 *
 * @default undefinedInArray "null"
 */
export function canonicalJson(value: unknown, undefinedInArray: "null" | "empty" = "null"): string {
  if (Array.isArray(value)) {
    return `[${
      value.map((v) =>
        v === undefined && undefinedInArray === "empty" ? "" : canonicalJson(v ?? null, undefinedInArray)
      )
        .join(",")
    }]`;
  }
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort((
    [a],
    [b],
  ) => (a < b ? -1 : 1));
  return `{${
    entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, undefinedInArray)}`).join(",")
  }}`;
}
