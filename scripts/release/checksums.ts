/**
 * `dist/SHA256SUMS`: one line per file in the format `sha256sum` writes and
 * `sha256sum -c` checks (`<64 hex digits>  <name>`).
 *
 * @module
 */

/** One file's digest. */
export interface Checksum {
  /** The file name, relative to the SHA256SUMS file. */
  name: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
}

/** SHA-256 of `data` as 64 lower-case hex digits. */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The SHA256SUMS text for `sums`, sorted by name, each line ending in `\n`.
 *
 * @throws {Error} when a name holds a path separator or a line break (sha256sum
 * would escape it, and a release file never needs one) or a digest is malformed.
 */
export function formatChecksums(sums: readonly Checksum[]): string {
  return [...sums]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, sha256 }) => {
      if (name === "" || /[/\\\n\r]/.test(name)) throw new Error(`bad file name ${JSON.stringify(name)}`);
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`bad SHA-256 for ${name}: ${sha256}`);
      return `${sha256}  ${name}\n`;
    })
    .join("");
}

/**
 * Reads SHA256SUMS text back (text mode `"  "` and binary mode `" *"` lines).
 *
 * @throws {Error} naming the line number of a line that is neither.
 */
export function parseChecksums(text: string): Checksum[] {
  const sums: Checksum[] = [];
  text.split("\n").forEach((line, i) => {
    if (line === "") return;
    const m = /^([0-9a-fA-F]{64}) [ *]([^/\\]+)$/.exec(line);
    if (!m) throw new Error(`SHA256SUMS line ${i + 1}: not "<sha256>  <name>"`);
    sums.push({ name: m[2], sha256: m[1].toLowerCase() });
  });
  return sums;
}
