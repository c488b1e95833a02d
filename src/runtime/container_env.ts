/**
 * The environment of a container, as `NAME=value` strings for the Engine.
 * `$(VAR)` references to variables defined earlier in the list are expanded
 * and `$$` escapes a literal `$`, as Kubernetes defines it.
 *
 * @module
 */
import type { Container } from "../api/types.ts";

/** Expands `$(NAME)` from `vars`; unknown references stay as written, `$$(X)` yields `$(X)`. */
export function expandVars(text: string, vars: Map<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === "$$") return "$";
    return vars.get(name!) ?? match;
  });
}

/** The container's `env`, in order, with `$(VAR)` expanded against earlier entries. */
export function containerEnv(
  container: Container,
  resolve: (name: string) => string | undefined = () => undefined,
): string[] {
  const vars = new Map<string, string>();
  for (const e of container.env ?? []) {
    const value = e.value !== undefined ? expandVars(e.value, vars) : resolve(e.name) ?? "";
    vars.set(e.name, value);
  }
  return [...vars].map(([k, v]) => `${k}=${v}`);
}
