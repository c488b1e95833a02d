/**
 * Which credentials apply to an image, as the kubelet's
 * `pkg/credentialprovider/keyring.go` `BasicDockerKeyring.Lookup` decides:
 * the registry host must match exactly and the entry's path, if any, must be
 * a prefix of the image's repository path; more specific entries come first.
 *
 * @module
 */
import type { RegistryCredential } from "./docker_config.ts";

/** Docker Hub's host as image references name it implicitly. */
export const DOCKER_HUB = "docker.io";

/**
 * The registry host and repository path of an image reference
 * (`127.0.0.1:5000/team/app:1.0` -> `127.0.0.1:5000`, `team/app`;
 * `busybox` -> `docker.io`, `library/busybox`).
 */
export function imageLocation(image: string): { host: string; path: string } {
  let name = image.split("@")[0];
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  // Docker's rule: the first component is a host when it has a dot or a port, or is localhost.
  const host = first !== "" && (/[.:]/.test(first) || first === "localhost") ? first : "";
  if (host) name = name.slice(slash + 1);
  // Drop the tag: a colon after the last slash.
  const tagColon = name.lastIndexOf(":");
  if (tagColon > name.lastIndexOf("/")) name = name.slice(0, tagColon);
  if (!host) return { host: DOCKER_HUB, path: name.includes("/") ? name : `library/${name}` };
  return { host: host.toLowerCase(), path: name };
}

/** A config key (`https://127.0.0.1:5000/v2/`, `index.docker.io/v1/`) as a host and path prefix. */
export function keyLocation(key: string): { host: string; path: string } {
  let rest = key.trim().replace(/^[a-z]+:\/\//i, "");
  const slash = rest.indexOf("/");
  let host = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
  rest = slash < 0 ? "" : rest.slice(slash + 1);
  // The API version suffixes docker login writes are not repository paths.
  rest = rest.replace(/^v[12]\/?$/, "").replace(/\/+$/, "");
  if (host === "index.docker.io" || host === "registry-1.docker.io") host = DOCKER_HUB;
  return { host, path: rest };
}

/**
 * The credentials for `image`, most specific first (longest matching path),
 * earlier entries first among equals. Empty when none applies.
 */
export function lookupCredentials(
  credentials: readonly RegistryCredential[],
  image: string,
): RegistryCredential[] {
  const want = imageLocation(image);
  return credentials
    .map((credential, order) => ({ credential, order, at: keyLocation(credential.registry) }))
    .filter(({ at }) =>
      at.host === want.host &&
      (at.path === "" || want.path === at.path || want.path.startsWith(`${at.path}/`))
    )
    .sort((a, b) => b.at.path.length - a.at.path.length || a.order - b.order)
    .map(({ credential }) => credential);
}
