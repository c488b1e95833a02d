/** Small pods for validation tests. */
import type { Pod } from "../../src/api/types.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** A valid one-container pod with `spec` merged in and `container` merged into its container. */
export function podWith(spec: Record<string, Any> = {}, container: Record<string, Any> = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: { containers: [{ name: "c", image: "busybox", ...container }], ...spec },
  } as Pod;
}
