/**
 * The environment of a container, as `NAME=value` strings for the Engine.
 * `$(VAR)` references to variables defined earlier in the list are expanded
 * and `$$` escapes a literal `$`, as Kubernetes defines it.
 *
 * @module
 */
import type { Container, EnvVar } from "../api/types.ts";

/**
 * Expands `$(NAME)` from `vars` exactly as Kubernetes' `expansion.Expand`:
 * `$$` is a literal `$` (so `$$(X)` yields `$(X)`), a reference to an unknown
 * name and an unclosed `$(` stay as written, and any other `$` is kept.
 */
export function expandVars(text: string, vars: ReadonlyMap<string, string>): string {
  let out = "";
  let checkpoint = 0;
  for (let cursor = 0; cursor < text.length; cursor++) {
    if (text[cursor] !== "$" || cursor + 1 >= text.length) continue;
    out += text.slice(checkpoint, cursor);
    const next = text[cursor + 1];
    if (next === "$") {
      out += "$";
      cursor += 1;
    } else if (next === "(") {
      const close = text.indexOf(")", cursor + 2);
      if (close < 0) {
        out += "$(";
        cursor += 1;
      } else {
        const name = text.slice(cursor + 2, close);
        out += vars.get(name) ?? `$(${name})`;
        cursor = close;
      }
    } else {
      out += `$${next}`;
      cursor += 1;
    }
    checkpoint = cursor + 1;
  }
  return out + text.slice(checkpoint);
}

/**
 * The container's `env`, in order, with `$(VAR)` in values expanded against
 * earlier entries; `resolve` gives the value of an entry's `valueFrom`
 * (which is never expanded), an entry with neither is empty, and one whose
 * `resolve` gives null is left out (an optional key that is missing).
 * `initial` (the `envFrom` variables) come first, as the kubelet puts
 * them: `env` may refer to them and overrides them.
 */
export function containerEnv(
  container: Container,
  resolve: (env: EnvVar) => string | null | undefined = () => undefined,
  initial: Iterable<[string, string]> = [],
): string[] {
  const vars = new Map<string, string>(initial);
  for (const e of container.env ?? []) {
    const resolved = e.value ? undefined : e.valueFrom ? resolve(e) : undefined;
    if (resolved === null) continue;
    const value = e.value ? expandVars(e.value, vars) : resolved ?? "";
    vars.set(e.name, value);
  }
  return [...vars].map(([k, v]) => `${k}=${v}`);
}
