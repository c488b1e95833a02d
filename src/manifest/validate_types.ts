/**
 * Checks the type of every field a pod manifest holds against the core/v1
 * schema ({@linkcode POD_SCHEMA}), with the integer ranges of the API's
 * types: a value of the wrong type is refused, never read loosely (a
 * `readOnly: "true"` string is not `true`). Unknown fields are not checked
 * here: they are dropped, and warned about.
 *
 * @module
 */

import { parseQuantity } from "../api/quantity.ts";
import { invalid, isObject } from "./_field.ts";
import { POD_SCHEMA, valueType } from "./known_fields.ts";

const INT32 = 2 ** 31 - 1;
/** int64 fields are bounded by what a JavaScript number holds exactly (2^53 - 1), within int64's range. */
const INT64 = Number.MAX_SAFE_INTEGER;
/** The largest quantity: an int64 count of the base unit (bytes, cores). */
const MAX_QUANTITY = 2 ** 63 - 1;
const MAX_QUANTITY_TEXT = "9223372036854775807";
export const QUANTITY_FORMAT =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/**
 * Appends to `errs` one message per field of `pod` whose value has the wrong
 * type or is out of its type's range, in the `field.path: Invalid value: ...`
 * wording of the other checks. `null` counts as absent, as in the API.
 *
 * @example Usage
 * ```ts
 * const errs: string[] = [];
 * validateTypes({ spec: { containers: [{ name: "a", stdin: "yes" }] } }, errs);
 * // errs: ['spec.containers[0].stdin: Invalid value: "yes": must be a boolean']
 * ```
 */
export function validateTypes(pod: unknown, errs: string[]): void {
  // An explicit stack: the depth is bounded by the schema, but a manifest is hostile.
  const stack: [unknown, string, string][] = [[pod, "Pod", ""]];
  while (stack.length > 0) {
    const [value, type, path] = stack.pop()!;
    if (value == null) continue;
    if (type.startsWith("[]")) {
      if (!Array.isArray(value)) errs.push(invalid(path, value, "must be a list"));
      else value.forEach((item, i) => stack.push([item, type.slice(2), `${path}[${i}]`]));
      continue;
    }
    const fields = POD_SCHEMA[type];
    if (fields) {
      if (!isObject(value)) {
        errs.push(invalid(path || "<root>", value, "must be an object"));
        continue;
      }
      for (const [key, child] of Object.entries(value)) {
        if (Object.hasOwn(fields, key)) {
          stack.push([child, valueType(fields[key]), path ? `${path}.${key}` : key]);
        }
      }
      continue;
    }
    const problem = scalarProblem(value, type, path, errs);
    if (problem) errs.push(invalid(path, value, problem));
  }
}

/** What is wrong with a value of a scalar or map type, or undefined. */
function scalarProblem(value: unknown, type: string, path: string, errs: string[]): string | undefined {
  switch (type) {
    case "string":
      return typeof value === "string" ? undefined : "must be a string";
    case "bool":
      return typeof value === "boolean" ? undefined : "must be a boolean";
    case "int32":
      return integerProblem(value, INT32);
    case "int64":
      return integerProblem(value, INT64);
    case "intOrString":
      return typeof value === "string"
        ? undefined
        : integerProblem(value, INT32, "must be an integer or a string");
    case "quantity":
      return quantityProblem(value);
    case "object":
      return isObject(value) ? undefined : "must be an object";
    case "map":
    case "quantityMap": {
      if (!isObject(value)) return "must be an object";
      for (const [key, item] of Object.entries(value)) {
        if (item == null) continue;
        const problem = type === "map"
          ? (typeof item === "string" ? undefined : "must be a string")
          : quantityProblem(item);
        if (problem) errs.push(invalid(`${path}[${key}]`, item, problem));
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function integerProblem(value: unknown, max: number, type = "must be an integer"): string | undefined {
  if (typeof value !== "number" || !Number.isInteger(value)) return type;
  if (value < -max - (max === INT32 ? 1 : 0) || value > max) {
    return `must be between ${-max - (max === INT32 ? 1 : 0)} and ${max}, inclusive`;
  }
}

/** A quantity must parse and fit an int64 count of its base unit ("1e400" does not). */
export function quantityProblem(value: unknown): string | undefined {
  if (typeof value !== "string" && typeof value !== "number") return QUANTITY_FORMAT;
  let amount: number;
  try {
    amount = parseQuantity(value);
  } catch {
    return QUANTITY_FORMAT;
  }
  if (!Number.isFinite(amount) || Math.abs(amount) > MAX_QUANTITY) {
    return `must be no more than ${MAX_QUANTITY_TEXT} in magnitude`;
  }
}
