/**
 * Reads registry credentials from Docker client configuration files, as the
 * kubelet's `pkg/credentialprovider/config.go` does: `config.json`
 * (`{"auths": {...}}`) and the legacy `.dockercfg` (the map at the top level).
 *
 * @module
 */

/** A user name and password (or identity token) for one registry location. */
export interface RegistryCredential {
  /** The key as the file has it (`127.0.0.1:5000`, `https://index.docker.io/v1/`). */
  registry: string;
  username: string;
  password: string;
  /** An OAuth identity token (`docker login` with some registries); sent instead of the password. */
  identityToken?: string;
}

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
}

/**
 * Parses a `config.json` or `.dockercfg` text into credentials. Entries whose
 * `auth` is not base64 `user:password` and entries with neither `auth` nor a
 * username are skipped: one bad entry must not hide the others.
 *
 * @throws {Error} when the text is not a JSON object.
 */
export function parseDockerConfig(text: string): RegistryCredential[] {
  const json: unknown = JSON.parse(text);
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new Error("not a JSON object");
  }
  const obj = json as Record<string, unknown>;
  // config.json has "auths"; .dockercfg is the map itself.
  const auths = "auths" in obj ? obj.auths : obj;
  if (typeof auths !== "object" || auths === null || Array.isArray(auths)) return [];
  const out: RegistryCredential[] = [];
  for (const [registry, value] of Object.entries(auths as Record<string, unknown>)) {
    if (typeof value !== "object" || value === null) continue;
    const entry = value as AuthEntry;
    let username = typeof entry.username === "string" ? entry.username : "";
    let password = typeof entry.password === "string" ? entry.password : "";
    if (typeof entry.auth === "string" && entry.auth !== "") {
      const decoded = decodeAuth(entry.auth);
      if (!decoded) continue;
      [username, password] = decoded;
    }
    const identityToken = typeof entry.identitytoken === "string" && entry.identitytoken !== ""
      ? entry.identitytoken
      : undefined;
    if (username === "" && identityToken === undefined) continue;
    out.push({ registry, username, password, ...(identityToken ? { identityToken } : {}) });
  }
  return out;
}

/** `base64("user:password")` -> `[user, password]`; undefined when it is not that. */
function decodeAuth(auth: string): [string, string] | undefined {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(atob(auth.trim()), (c) => c.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
  const colon = text.indexOf(":");
  if (colon <= 0) return undefined;
  return [text.slice(0, colon), text.slice(colon + 1)];
}
