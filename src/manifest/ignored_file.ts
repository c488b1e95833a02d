/**
 * Which names in a manifest directory are not manifests.
 *
 * @module
 */

/** Suffixes editors leave behind: backups, vim swap files, temporary copies. */
const IGNORED_SUFFIXES = ["~", ".swp", ".swx", ".bak", ".tmp"];

/**
 * Reports whether a file name in the manifest directory is to be skipped:
 * dot-files (as the kubelet skips them, which also covers vim's `.x.swp` and
 * emacs' `.#x` locks), editor leftovers (`x~`, `x.swp`, `x.swx`, `x.bak`,
 * `x.tmp`, emacs' `#x#`) and all-digit names such as `4913`, the file vim
 * creates to test whether a directory is writable.
 *
 * Takes a base name, not a path.
 *
 * @example Usage
 * ```ts
 * isIgnoredManifestName("nginx.yaml"); // false
 * isIgnoredManifestName("nginx.yaml~"); // true
 * isIgnoredManifestName("4913"); // true
 * ```
 */
export function isIgnoredManifestName(name: string): boolean {
  if (name === "" || name.startsWith(".")) return true;
  if (IGNORED_SUFFIXES.some((suffix) => name.endsWith(suffix))) return true;
  if (name.length > 1 && name.startsWith("#") && name.endsWith("#")) return true;
  return /^[0-9]+$/.test(name);
}
