/**
 * Validation of a container's `resources` and of its environment's
 * `fieldRef` and `resourceFieldRef` sources, as the API server's
 * validation.go does it.
 *
 * @module
 */

import { parseQuantity } from "../api/quantity.ts";
import { quantityProblem } from "./validate_types.ts";
import { invalid, isObject, list, type Obj, object, optionalString, requiredString, show } from "./_field.ts";

/** The pod fields an environment variable may refer to (validEnvDownwardAPIFieldPathExpressions). */
export const ENV_FIELD_PATHS = [
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.serviceAccountName",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
];

/** The resources an environment variable may refer to (validContainerResourceFieldPathExpressions). */
export const ENV_RESOURCES = [
  "limits.cpu",
  "limits.ephemeral-storage",
  "limits.memory",
  "requests.cpu",
  "requests.ephemeral-storage",
  "requests.memory",
];

const CPU_DIVISORS = ["1m", "1"];
const MEMORY_DIVISORS = ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"];
const STANDARD = ["cpu", "memory", "ephemeral-storage"];
/** A key in `metadata.labels['key']` or `metadata.annotations['key']`. */
const SUBSCRIPT = /^(metadata\.(?:labels|annotations))\['([^']*)'\]$/;

/** Parses a quantity, reporting (and returning undefined for) one that does not parse. */
function quantity(value: unknown, path: string, errs: string[]): number | undefined {
  const problem = quantityProblem(value);
  if (problem) return void errs.push(invalid(path, value, problem));
  return parseQuantity(value as string | number);
}

/** Checks `resources.limits` and `resources.requests`: names, quantities, and requests within limits. */
export function validateResources(container: Obj, path: string, errs: string[]): void {
  const at = `${path}.resources`;
  const resources = object(container.resources, at, errs);
  if (!resources) return;
  const read = (kind: string) => {
    const values = new Map<string, number>();
    for (const [name, raw] of Object.entries(object(resources[kind], `${at}.${kind}`, errs) ?? {})) {
      const key = `${at}.${kind}[${name}]`;
      if (!STANDARD.includes(name) && !name.startsWith("hugepages-") && !name.includes("/")) {
        errs.push(invalid(key, name, "must be a standard resource for containers"));
        continue;
      }
      const value = quantity(raw, key, errs);
      if (value === undefined) continue;
      if (value < 0) errs.push(invalid(key, raw, "must be greater than or equal to 0"));
      else values.set(name, value);
    }
    return values;
  };
  const limits = read("limits");
  const requests = read("requests");
  for (const [name, request] of requests) {
    const limit = limits.get(name);
    if (limit !== undefined && request > limit) {
      const raw = (resources.limits as Obj)[name];
      errs.push(
        invalid(
          `${at}.requests`,
          (resources.requests as Obj)[name],
          `must be less than or equal to ${name} limit of ${raw}`,
        ),
      );
    }
  }
}

/** Checks the `fieldRef` and `resourceFieldRef` sources of a container's env. */
export function validateEnvSources(container: Obj, path: string, errs: string[]): void {
  list(container.env, `${path}.env`, errs).forEach((e, i) => {
    const at = `${path}.env[${i}]`;
    if (!isObject(e) || !isObject(e.valueFrom)) return;
    const sources = Object.entries(e.valueFrom).filter(([, v]) => v != null);
    if (sources.length > 1) {
      errs.push(invalid(`${at}.valueFrom`, "", "may not have more than one field specified at a time"));
    }
    if (sources.length > 0 && typeof e.value === "string" && e.value !== "") {
      errs.push(invalid(`${at}.valueFrom`, "", "may not be specified when `value` is not empty"));
    }
    const fieldRef = object(e.valueFrom.fieldRef, `${at}.valueFrom.fieldRef`, errs);
    if (fieldRef) validateFieldRef(fieldRef, `${at}.valueFrom.fieldRef`, errs);
    const resourceRef = object(e.valueFrom.resourceFieldRef, `${at}.valueFrom.resourceFieldRef`, errs);
    if (resourceRef) validateResourceRef(resourceRef, `${at}.valueFrom.resourceFieldRef`, errs);
  });
}

function validateFieldRef(ref: Obj, path: string, errs: string[]): void {
  const apiVersion = optionalString(ref.apiVersion, `${path}.apiVersion`, errs);
  if (apiVersion !== undefined && apiVersion !== "" && apiVersion !== "v1") {
    errs.push(
      invalid(
        `${path}.fieldPath`,
        ref.fieldPath,
        `error converting fieldPath: unsupported apiVersion ${show(apiVersion)}`,
      ),
    );
    return;
  }
  const fieldPath = requiredString(ref.fieldPath, `${path}.fieldPath`, errs);
  if (fieldPath === undefined) return;
  const subscript = SUBSCRIPT.exec(fieldPath);
  if (subscript) {
    const key = subscript[2];
    if (
      !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/
        .test(key)
    ) {
      errs.push(
        invalid(
          path,
          key,
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ),
      );
    }
    return;
  }
  if (!ENV_FIELD_PATHS.includes(fieldPath)) {
    const supported = ENV_FIELD_PATHS.map((p) => JSON.stringify(p)).join(", ");
    errs.push(`${path}.fieldPath: Unsupported value: ${show(fieldPath)}: supported values: ${supported}`);
  }
}

/** Checks a `resourceFieldRef` (validateContainerResourceFieldSelector). */
export function validateResourceRef(ref: Obj, path: string, errs: string[]): void {
  optionalString(ref.containerName, `${path}.containerName`, errs);
  const resource = requiredString(ref.resource, `${path}.resource`, errs);
  if (resource === undefined) return;
  if (!ENV_RESOURCES.includes(resource) && !/^(limits|requests)\.hugepages-/.test(resource)) {
    const supported = ENV_RESOURCES.map((p) => JSON.stringify(p)).join(", ");
    return void errs.push(
      `${path}.resource: Unsupported value: ${show(resource)}: supported values: ${supported}`,
    );
  }
  if (ref.divisor == null || ref.divisor === "") return;
  const divisor = String(ref.divisor);
  if (resource.endsWith(".cpu")) {
    if (!CPU_DIVISORS.includes(divisor)) {
      errs.push(
        invalid(
          `${path}.divisor`,
          ref.divisor,
          "only divisor's values 1m and 1 are supported with the cpu resource",
        ),
      );
    }
  } else if (!MEMORY_DIVISORS.includes(divisor)) {
    const kind = resource.split(".")[1];
    errs.push(
      invalid(
        `${path}.divisor`,
        ref.divisor,
        `only divisor's values ${MEMORY_DIVISORS.join(", ")} are supported with the ${kind} resource`,
      ),
    );
  }
}
