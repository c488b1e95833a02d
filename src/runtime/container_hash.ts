/**
 * The hash of a container's spec that the kubelet keeps on the container's
 * labels: when the manifest's spec of that container changes, so does the
 * hash, and the container is replaced.
 *
 * @module
 */
import type { Container } from "../api/types.ts";
import { canonicalJson } from "../canonical_json.ts";

/**
 * FNV-1a (32-bit) of the container's canonical JSON, as 8 hex digits (the kubelet uses FNV-32a too).
 * The JSON writes an undefined array element as nothing (`[1,]`), as it always has: a different
 * form would change the hash of running containers, and every pod would restart after an upgrade.
 *
 * @param configDigest the digest of the ConfigMaps and Secrets the container
 *   consumes, for pods that restart on their changes (see `configDigests`);
 *   without it, the hash is the spec's alone
 */
export function containerHash(container: Container, configDigest?: string): string {
  const spec = canonicalJson(container, "empty");
  const bytes = new TextEncoder().encode(
    configDigest === undefined ? spec : `${spec}\nconfig:${configDigest}`,
  );
  let hash = 0x811c9dc5;
  for (const b of bytes) {
    hash ^= b;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
