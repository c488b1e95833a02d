/**
 * `metadata.labels` and `metadata.annotations` as the API server validates
 * them (apimachinery's `ValidateLabels` and `ValidateAnnotations`): keys are
 * qualified names, label values at most 63 characters of a restricted set,
 * and all annotations together at most 256 KiB.
 *
 * @module
 */
import { dnsSubdomain, invalid } from "./_field.ts";

/** The longest label value and the longest name part of a qualified name. */
const MAX_NAME = 63;
/** All annotations of an object together, keys and values, in bytes (`TotalAnnotationSizeLimitB`). */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** A name part or a label value: alphanumerics, '-', '_' or '.', starting and ending alphanumeric. */
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const NAME_HELP =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_HELP =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** A qualified name (`[prefix/]name`), as `IsQualifiedName`. */
export function qualifiedName(key: string, path: string, errs: string[]): void {
  const parts = key.split("/");
  let name = key;
  if (parts.length === 2) {
    const [prefix] = parts;
    name = parts[1];
    if (prefix.length === 0) errs.push(invalid(path, key, "prefix part must be non-empty"));
    else dnsSubdomain(prefix, path, errs);
  } else if (parts.length > 2) {
    errs.push(
      invalid(
        path,
        key,
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ),
    );
    return;
  }
  if (name.length === 0) errs.push(invalid(path, key, "name part must be non-empty"));
  else if (name.length > MAX_NAME) {
    errs.push(invalid(path, key, `name part must be no more than ${MAX_NAME} characters`));
  } else if (!NAME.test(name)) errs.push(invalid(path, key, NAME_HELP));
}

/** `metadata.labels`: qualified-name keys and label values. Values that are not strings are the caller's. */
export function validateLabels(labels: Record<string, unknown>, path: string, errs: string[]): void {
  for (const [key, value] of Object.entries(labels)) {
    qualifiedName(key, path, errs);
    if (typeof value !== "string" || value === "") continue;
    if (value.length > MAX_NAME) {
      errs.push(invalid(path, value, `must be no more than ${MAX_NAME} characters`));
    } else if (!NAME.test(value)) errs.push(invalid(path, value, VALUE_HELP));
  }
}

/** `metadata.annotations`: qualified-name keys (checked lowercased) and at most 256 KiB in all. */
export function validateAnnotations(
  annotations: Record<string, unknown>,
  path: string,
  errs: string[],
): void {
  let total = 0;
  const encoder = new TextEncoder();
  for (const [key, value] of Object.entries(annotations)) {
    qualifiedName(key.toLowerCase(), path, errs);
    total += encoder.encode(key).length + (typeof value === "string" ? encoder.encode(value).length : 0);
  }
  if (total > MAX_ANNOTATIONS_BYTES) {
    errs.push(`${path}: Too long: must have at most ${MAX_ANNOTATIONS_BYTES} bytes`);
  }
}
