/**
 * Checks a manifest's own `metadata.uid`: it becomes a path component under
 * `<root-dir>/pods`, so it must be one safe name (see `src/api/pod_uid.ts`).
 *
 * @module
 */
import { isSafePodUid, MAX_POD_UID_LENGTH } from "../api/pod_uid.ts";
import { invalid } from "./_field.ts";

/**
 * Reports a `metadata.uid` that is given but not a safe pod UID; an absent or
 * empty one is fine (the kubelet then hashes the pod's content).
 */
export function validateUid(uid: unknown, errs: string[]): void {
  // Not a string at all: the field type check reports that.
  if (uid === undefined || uid === null || uid === "" || typeof uid !== "string") return;
  if (!isSafePodUid(uid)) {
    errs.push(invalid(
      "metadata.uid",
      uid,
      `must be 1-${MAX_POD_UID_LENGTH} letters, digits, '-', '_' or '.', starting with a letter or digit (a UUID or a hash)`,
    ));
  }
}
