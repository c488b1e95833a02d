/**
 * What `JSON.parse` does not check in a manifest: repeated keys (it keeps the
 * last silently, where the API server's strict decoding refuses them) and
 * nesting depth. One pass, no recursion.
 *
 * @module
 */

import { MAX_MANIFEST_DEPTH } from "./limits.ts";

/**
 * Scans JSON text that `JSON.parse` accepted; returns the first problem, or
 * undefined. The offset is where the problem starts in `text`.
 */
export function scanJson(text: string): { offset: number; message: string } | undefined {
  // One frame per open object (its keys so far) or list (null).
  const stack: ({ keys: Set<string>; expectKey: boolean } | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push(c === 0x7b ? { keys: new Set(), expectKey: true } : null);
      if (stack.length > MAX_MANIFEST_DEPTH) {
        return { offset: i, message: `nested more than ${MAX_MANIFEST_DEPTH} levels deep` };
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top) top.expectKey = true;
    } else if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c /* \ */) i++;
      }
      const top = stack[stack.length - 1];
      if (!top?.expectKey) continue;
      top.expectKey = false;
      const key = JSON.parse(text.slice(start, i + 1)) as string;
      if (top.keys.has(key)) return { offset: start, message: `duplicate key ${JSON.stringify(key)}` };
      top.keys.add(key);
    }
  }
}
