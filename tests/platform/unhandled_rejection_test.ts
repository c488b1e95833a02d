import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import process from "node:process";

const exec = promisify(execFile);
const SCRIPT = new URL("./_unhandled_rejection.ts", import.meta.url).pathname;

test("onUnhandledRejection keeps the process alive through a rejection in a timer, under this runtime", async () => {
  const args = "Bun" in globalThis ? [SCRIPT] : ["run", "-A", SCRIPT];
  const { stdout } = await exec(process.execPath, args, { timeout: 20_000 });
  assert.deepEqual(stdout.trim().split("\n"), ["handled: AbortSignal.timeout out of range", "alive"]);
});
