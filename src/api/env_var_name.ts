/**
 * The API's rule for environment variable names, shared by validation and the
 * runtime's `envFrom`.
 *
 * @module
 */

/** The kubelet's `IsEnvVarName` (before the relaxed validation of v1.32). */
export function isEnvVarName(name: string): boolean {
  return /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name) && name !== "." && name !== ".." && !name.startsWith("..");
}
