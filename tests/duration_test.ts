import { test } from "node:test";
import assert from "node:assert/strict";
import { formatDuration, parseDuration } from "../src/duration.ts";

const valid: [text: string, ms: number][] = [
  ["0", 0],
  ["20s", 20_000],
  ["1m", 60_000],
  ["1m30s", 90_000],
  ["1.5h", 5_400_000],
  ["500ms", 500],
  [".5s", 500],
  ["1h2m3s4ms", 3_723_004],
  ["2us", 0.002],
  ["2µs", 0.002],
  ["1000000ns", 1],
  ["0s", 0],
];

for (const [text, ms] of valid) {
  test(`parseDuration reads ${JSON.stringify(text)} as ${ms} ms`, () => {
    assert.equal(parseDuration(text), ms);
  });
}

test("parseDuration takes a leading sign, as Go does", () => {
  assert.equal(parseDuration("+5s"), 5_000);
  assert.equal(parseDuration("-1.5h"), -5_400_000);
});

const invalid = ["", "5", "1x", "s", "1.5", "ten seconds", "1m 30s", "1d", "."];

for (const text of invalid) {
  test(`parseDuration throws naming the text for ${JSON.stringify(text)}`, () => {
    assert.throws(() => parseDuration(text), (error: Error) => error.message.includes(JSON.stringify(text)));
  });
}

const formatted: [ms: number, text: string][] = [
  [0, "0s"],
  [500, "500ms"],
  [1_500, "1.5s"],
  [20_000, "20s"],
  [90_000, "1m30s"],
  [300_000, "5m0s"],
  [3_600_000, "1h0m0s"],
  [3_723_000, "1h2m3s"],
];

for (const [ms, text] of formatted) {
  test(`formatDuration prints ${ms} ms as Go does: ${text}`, () => {
    assert.equal(formatDuration(ms), text);
  });
}
