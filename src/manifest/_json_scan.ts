/**
 * What `JSON.parse` does not check in a manifest: repeated keys (it keeps the
 * last silently, where the API server's strict decoding refuses them), nesting
 * depth, and the number of tokens (as for YAML, this bounds the work of
 * everything after decoding). One pass, no recursion; run before `JSON.parse`,
 * so that it never sees what is refused here.
 *
 * @module
 */

import { MAX_MANIFEST_DEPTH, MAX_MANIFEST_TOKENS } from "./limits.ts";

/**
 * Scans JSON text; returns the first problem, or undefined. The offset is
 * where the problem starts in `text`. Text that is not JSON gets no problem
 * or a wrong one: `JSON.parse` reports it.
 */
export function scanJson(text: string): { offset: number; message: string } | undefined {
  // One frame per open object (its keys so far) or list (null).
  const stack: ({ keys: Set<string>; expectKey: boolean } | null)[] = [];
  let tokens = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Opening brackets, commas, colons and strings (whose contents the string branch skips) are tokens.
    if (
      (c === 0x7b || c === 0x5b || c === 0x2c || c === 0x3a || c === 0x22) && ++tokens > MAX_MANIFEST_TOKENS
    ) {
      return { offset: i, message: `more than ${MAX_MANIFEST_TOKENS} tokens` };
    }
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
      const raw = text.slice(start + 1, i);
      const key = raw.includes("\\") ? JSON.parse(`"${raw}"`) as string : raw;
      if (top.keys.has(key)) return { offset: start, message: `duplicate key ${JSON.stringify(key)}` };
      top.keys.add(key);
    }
  }
}
