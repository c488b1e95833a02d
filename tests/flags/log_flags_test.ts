import { test } from "node:test";
import assert from "node:assert/strict";
import { parseLogFlags } from "../../src/flags/log_flags.ts";
import { FlagError } from "../../src/flags/flag_error.ts";

test("parseLogFlags defaults to klog text at verbosity 0", () => {
  assert.deepEqual(parseLogFlags({}), { format: "text", verbosity: 0 });
});

test("parseLogFlags takes --logging-format=json, its alias --log-format, and -v N (the last -v wins)", () => {
  assert.deepEqual(parseLogFlags({ loggingFormat: "json", v: "4" }), { format: "json", verbosity: 4 });
  assert.deepEqual(parseLogFlags({ logFormat: "json" }), { format: "json", verbosity: 0 });
  assert.deepEqual(parseLogFlags({ v: ["2", "6"] }), { format: "text", verbosity: 6 });
});

for (
  const [options, pattern] of [
    [{ loggingFormat: "xml" }, /--logging-format: "xml" is not a log format/],
    [{ v: "-1" }, /-v: "-1"/],
    [{ v: "high" }, /-v: "high"/],
  ] as const
) {
  test(`parseLogFlags refuses ${JSON.stringify(options)}`, () => {
    assert.throws(() => parseLogFlags(options), (e) => e instanceof FlagError && pattern.test(e.message));
  });
}
