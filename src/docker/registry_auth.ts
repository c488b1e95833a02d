/**
 * The Engine's `X-Registry-Auth` header: base64url of a JSON
 * `AuthConfig` (`username`, `password`, `serveraddress`, or `identitytoken`).
 *
 * @module
 */

/** What the Engine needs to log in to a registry for one pull. */
export interface RegistryAuth {
  username: string;
  password: string;
  /** The registry the credentials are for, as the config file names it. */
  serveraddress: string;
  identitytoken?: string;
}

/** Encodes `auth` as the `X-Registry-Auth` header value (base64url JSON, as the docker CLI sends it). */
export function registryAuthHeader(auth: RegistryAuth): string {
  const bytes = new TextEncoder().encode(JSON.stringify(auth));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_");
}
