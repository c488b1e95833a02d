/**
 * What a pod UID may be here. The UID names the pod's directory under
 * `<root-dir>/pods`, its containers and its Docker volumes, so it must be one
 * safe path component.
 *
 * The API server makes UIDs as UUIDs (36 characters) and the kubelet hashes a
 * static pod's content into 32 hex digits when the manifest gives none, but
 * the kubelet keeps a manifest's own `metadata.uid` unchecked. Both real
 * shapes pass this rule; `.`, `..`, `/` and anything that is not a plain name
 * do not.
 *
 * @module
 */

/** The longest UID accepted (characters). */
export const MAX_POD_UID_LENGTH = 128;

const UID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Whether `uid` is one safe path component: letters, digits, `-`, `_` and
 * `.`, starting with a letter or digit, at most {@linkcode MAX_POD_UID_LENGTH}
 * characters.
 *
 * @example Usage
 * ```ts
 * isSafePodUid("6f1c0f3e-0d8a-4b8e-9a53-1b2f0c7d9e41"); // true
 * isSafePodUid(".."); // false
 * ```
 */
export function isSafePodUid(uid: unknown): uid is string {
  return typeof uid === "string" && uid.length <= MAX_POD_UID_LENGTH && UID.test(uid);
}
