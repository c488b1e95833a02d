/**
 * The executable's entry point: `bun build --compile src/main.ts` and
 * `deno run -A src/main.ts` both start here.
 *
 * @module
 */
import { runCli } from "./cli.ts";
import { platform } from "./platform/mod.ts";
import { createLogger } from "./log.ts";

if (import.meta.main) {
  // A rejection nobody awaited (a timer's work, say) is logged; it never ends the kubelet.
  platform.onUnhandledRejection((reason) => createLogger().error("unhandled promise rejection", { reason }));
  platform.exit(await runCli(platform.args, platform));
}
