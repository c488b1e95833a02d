import { statfs } from "node:fs/promises";
import type { FsUsage } from "./types.ts";

/**
 * statfs(2) through `node:fs`, which Deno and Bun both implement (Deno has no
 * `Deno.statfs`).
 */
export async function statfsUsage(path: string): Promise<FsUsage> {
  const s = await statfs(path);
  return {
    type: s.type,
    blockSize: s.bsize,
    blocks: s.blocks,
    blocksFree: s.bfree,
    blocksAvailable: s.bavail,
    files: s.files,
    filesFree: s.ffree,
  };
}
