/**
 * Strict standard base64, as Go's `encoding/json` decodes a `[]byte` field
 * (`base64.StdEncoding`: padding required; CR and LF are skipped).
 *
 * @module
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const VALUES = new Map([...ALPHABET].map((c, i) => [c, i]));

/**
 * The bytes `text` encodes, or the 0-based offset of the first input byte
 * that is wrong (Go's `illegal base64 data at input byte N`).
 */
export function decodeBase64(text: string): Uint8Array | number {
  const chars: string[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\r" || text[i] === "\n") continue;
    chars.push(text[i]);
    offsets.push(i);
  }
  const out = new Uint8Array(Math.floor(chars.length / 4) * 3);
  let n = 0;
  for (let q = 0; q < chars.length; q += 4) {
    const group = chars.slice(q, q + 4);
    const pads = group.indexOf("=");
    const data = pads < 0 ? group.length : pads;
    // An unfinished last group is wrong from its start, as Go reports it.
    if (group.length < 4 && pads < 0) return offsets[q];
    if (data < 2) return offsets[q + data];
    for (let i = 0; i < data; i++) if (!VALUES.has(group[i])) return offsets[q + i];
    // Padding only fills the group, and only the last group.
    for (let i = data; i < 4; i++) if (group[i] !== "=") return offsets[q + i] ?? text.length;
    if (data < 4 && q + 4 < chars.length) return offsets[q + 4];
    const v = group.slice(0, data).map((c) => VALUES.get(c)!);
    const bits = (v[0] << 18) | (v[1] << 12) | ((v[2] ?? 0) << 6) | (v[3] ?? 0);
    out[n++] = bits >> 16;
    if (data > 2) out[n++] = (bits >> 8) & 0xff;
    if (data > 3) out[n++] = bits & 0xff;
  }
  return out.slice(0, n);
}
