/**
 * The executable's entry point: `bun build --compile src/main.ts` and
 * `deno run -A src/main.ts` both start here.
 *
 * @module
 */
import { runCli } from "./cli.ts";
import { platform } from "./platform/mod.ts";

if (import.meta.main) {
  platform.exit(await runCli(platform.args, platform));
}
