/**
 * The platform of the runtime we run on, detected once.
 *
 * @module
 */
import type { Platform } from "./types.ts";
import { bunPlatform } from "./bun.ts";
import { denoPlatform } from "./deno.ts";

export type * from "./types.ts";

/** The {@link Platform} of the current runtime: Bun when `Bun` exists, else Deno. */
export const platform: Platform = "Bun" in globalThis ? bunPlatform : denoPlatform;
