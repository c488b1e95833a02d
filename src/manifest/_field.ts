/**
 * Field errors in the wording of k8s.io/apimachinery's `field` package, and
 * typed reads that report a value of the wrong type instead of throwing:
 * the building blocks of the manifest validators.
 *
 * @module
 */

export type Obj = Record<string, unknown>;

// ---- field error messages, in the wording of k8s.io/apimachinery/pkg/util/validation/field

export function required(path: string, detail?: string): string {
  return `${path}: Required value${detail ? `: ${detail}` : ""}`;
}

export function invalid(path: string, value: unknown, detail: string): string {
  return `${path}: Invalid value: ${show(value)}: ${detail}`;
}

export function forbidden(path: string, detail: string): string {
  return `${path}: Forbidden: ${detail}`;
}

export function show(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  // Only the start of a long string is quoted: the same first 77 characters, at a fraction of the cost.
  const text =
    (typeof value === "string" && value.length > 80 ? JSON.stringify(value.slice(0, 80)) : undefined) ??
      JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// ---- typed reads: each reports a value of the wrong type and returns undefined for it

export function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Returns an object field, or undefined when it is absent or (reported) not an object. */
export function object(value: unknown, path: string, errs: string[]): Obj | undefined {
  if (value == null) return undefined;
  if (isObject(value)) return value;
  errs.push(invalid(path, value, "must be an object"));
}

export function list(value: unknown, path: string, errs: string[]): unknown[] {
  if (value == null) return [];
  if (Array.isArray(value)) return value;
  errs.push(invalid(path, value, "must be a list"));
  return [];
}

export function optionalString(value: unknown, path: string, errs: string[]): string | undefined {
  if (value == null || typeof value === "string") return value ?? undefined;
  errs.push(invalid(path, value, "must be a string"));
}

export function requiredString(value: unknown, path: string, errs: string[]): string | undefined {
  if (value == null || value === "") return void errs.push(required(path));
  return optionalString(value, path, errs);
}

export function int(
  value: unknown,
  path: string,
  min: number,
  max: number,
  errs: string[],
): number | undefined {
  if (value == null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    return void errs.push(invalid(path, value, "must be an integer"));
  }
  if (value >= min && value <= max) return value;
  const range = max === Infinity ? `greater than or equal to ${min}` : `between ${min} and ${max}, inclusive`;
  errs.push(invalid(path, value, `must be ${range}`));
}

export function oneOf(value: unknown, path: string, allowed: string[], errs: string[]): void {
  if (value === undefined || value === null || (typeof value === "string" && allowed.includes(value))) return;
  const supported = [...allowed].sort().map((v) => JSON.stringify(v)).join(", ");
  errs.push(`${path}: Unsupported value: ${show(value)}: supported values: ${supported}`);
}

// ---- names

/** Reports `name` when `seen` holds it already, else checks its syntax and records it. */
export function unique(
  name: string | undefined,
  path: string,
  seen: Set<string>,
  check: (name: string, path: string, errs: string[]) => void,
  errs: string[],
): void {
  if (name === undefined) return;
  if (seen.has(name)) return void errs.push(`${path}: Duplicate value: ${show(name)}`);
  check(name, path, errs);
  seen.add(name);
}

export const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function dnsLabel(name: string, path: string, errs: string[]): void {
  if (name.length > 63) errs.push(invalid(path, name, "must be no more than 63 characters"));
  if (!LABEL.test(name)) {
    errs.push(
      invalid(
        path,
        name,
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
      ),
    );
  }
}

export function dnsSubdomain(name: string, path: string, errs: string[]): void {
  if (name.length > 253) errs.push(invalid(path, name, "must be no more than 253 characters"));
  if (!isDnsSubdomain(name)) {
    errs.push(
      invalid(
        path,
        name,
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
      ),
    );
  }
}

/**
 * Whether every dot-separated part of `name` is a {@linkcode LABEL}: one pass,
 * with no array of parts, so that a name of 1 MiB costs a millisecond.
 */
function isDnsSubdomain(name: string): boolean {
  const DOT = 0x2e, DASH = 0x2d;
  // The previous character: a dot at the start of a label (and of the name).
  let previous = DOT;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === DOT) {
      if (previous === DOT || previous === DASH) return false;
    } else if (c === DASH) {
      if (previous === DOT) return false;
    } else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) return false;
    previous = c;
  }
  return previous !== DOT && previous !== DASH;
}

/** An IANA service name, as port names are. */
export function portName(name: string, path: string, errs: string[]): void {
  if (name.length > 15 || !LABEL.test(name) || name.includes("--") || !/[a-z]/.test(name)) {
    errs.push(
      invalid(
        path,
        name,
        "must be no more than 15 lower case letters, digits and single '-', with at least one letter",
      ),
    );
  }
}

export function absolutePath(path: string, field: string, errs: string[]): void {
  if (!path.startsWith("/")) errs.push(invalid(field, path, "must be an absolute path"));
  else if (path.split("/").includes("..")) errs.push(invalid(field, path, "must not contain '..'"));
}

export function bool(value: unknown, path: string, errs: string[]): boolean | undefined {
  if (value == null) return undefined;
  if (typeof value === "boolean") return value;
  errs.push(invalid(path, value, "must be a boolean"));
}

/** Whether `text` is an IPv4 or IPv6 address (no zone, no prefix length). */
export function isIP(text: string): boolean {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(text)) return true;
  if (!text.includes(":") || !/^[0-9a-fA-F:.]+$/.test(text)) return false;
  try {
    // The URL parser knows IPv6 syntax, "::" compression and embedded IPv4 included.
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

export function ip(value: string, path: string, errs: string[]): void {
  if (!isIP(value)) {
    errs.push(invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
  }
}
