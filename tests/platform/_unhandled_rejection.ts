/** Run by unhandled_rejection_test.ts: a timer's promise rejects with nobody awaiting it. */
import { platform } from "../../src/platform/mod.ts";

platform.onUnhandledRejection((reason) => console.log(`handled: ${(reason as Error).message}`));
setTimeout(() => void Promise.reject(new RangeError("AbortSignal.timeout out of range")), 1);
setTimeout(() => console.log("alive"), 100);
