/**
 * Checks of a pod's references to ConfigMaps and Secrets, as the API server
 * makes them (pkg/apis/core/validation: `validateConfigMapKeySelector`,
 * `validateSecretKeySelector`, `validateEnvFrom`, `imagePullSecrets`).
 *
 * @module
 */
import { isEnvVarName } from "../api/env_var_name.ts";
import {
  bool,
  dnsSubdomain,
  invalid,
  isObject,
  list,
  type Obj,
  object,
  optionalString,
  required,
  requiredString,
} from "./_field.ts";
import { configMapKeyProblems } from "./decode_config_object.ts";

const ENV_VAR_NAME_MESSAGE =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

/** Checks `valueFrom.configMapKeyRef` / `secretKeyRef` of each env entry and each `envFrom` entry. */
export function validateObjectRefs(container: Obj, path: string, errs: string[]): void {
  list(container.env, `${path}.env`, errs).forEach((e, i) => {
    if (!isObject(e) || !isObject(e.valueFrom)) return;
    for (const field of ["configMapKeyRef", "secretKeyRef"]) {
      const at = `${path}.env[${i}].valueFrom.${field}`;
      const ref = object(e.valueFrom[field], at, errs);
      if (!ref) continue;
      objectName(ref.name, `${at}.name`, errs);
      const key = requiredString(ref.key, `${at}.key`, errs);
      if (key !== undefined) configMapKeyProblems(key, `${at}.key`, errs);
      bool(ref.optional, `${at}.optional`, errs);
    }
  });
  list(container.envFrom, `${path}.envFrom`, errs).forEach((e, i) => {
    const at = `${path}.envFrom[${i}]`;
    const from = object(e, at, errs);
    if (!from) return;
    const prefix = optionalString(from.prefix, `${at}.prefix`, errs);
    if (prefix && !isEnvVarName(prefix)) {
      errs.push(invalid(`${at}.prefix`, prefix, envVarNameProblem(prefix)));
    }
    const sources = ["configMapRef", "secretRef"].filter((f) => from[f] != null);
    if (sources.length === 0) {
      errs.push(invalid(`${path}.envFrom`, "", "must specify one of: `configMapRef` or `secretRef`"));
    } else if (sources.length > 1) {
      errs.push(invalid(`${path}.envFrom`, "", "may not have more than one field specified at a time"));
    }
    for (const field of sources) {
      const ref = object(from[field], `${at}.${field}`, errs);
      if (!ref) continue;
      objectName(ref.name, `${at}.${field}.name`, errs);
      bool(ref.optional, `${at}.${field}.optional`, errs);
    }
  });
}

/** Checks `spec.imagePullSecrets`: each a Secret's name. */
export function validatePullSecrets(spec: Obj, errs: string[]): void {
  list(spec.imagePullSecrets, "spec.imagePullSecrets", errs).forEach((r, i) => {
    const at = `spec.imagePullSecrets[${i}]`;
    const ref = object(r, at, errs);
    if (ref) objectName(ref.name, `${at}.name`, errs);
  });
}

function objectName(value: unknown, path: string, errs: string[]): void {
  if (value == null || value === "") return void errs.push(required(path));
  const name = optionalString(value, path, errs);
  if (name !== undefined) dnsSubdomain(name, path, errs);
}

function envVarNameProblem(name: string): string {
  if (name === ".") return "must not be '.'";
  if (name === "..") return "must not be '..'";
  if (name.startsWith("..")) return "must not start with '..'";
  return ENV_VAR_NAME_MESSAGE;
}
