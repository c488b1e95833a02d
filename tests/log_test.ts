import { test } from "node:test";
import assert from "node:assert/strict";
import { createLogger } from "../src/log.ts";

const NOW = new Date("2024-11-27T12:30:43.123Z");

/** A logger writing into an array, at a fixed time. */
function capture(options: { format?: "text" | "json"; verbosity?: number } = {}) {
  const lines: string[] = [];
  const logger = createLogger({ ...options, write: (line) => lines.push(line), now: () => NOW });
  return { logger, lines };
}

test("createLogger writes klog text lines: severity, MMDD, time with microseconds, message", () => {
  const { logger, lines } = capture();
  logger.info("started");
  logger.warn("slow");
  logger.error("failed");
  assert.deepEqual(lines, [
    "I1127 12:30:43.123000 started",
    "W1127 12:30:43.123000 slow",
    "E1127 12:30:43.123000 failed",
  ]);
});

test("createLogger writes text fields as key=value with quoted strings and an error's message", () => {
  const { logger, lines } = capture();
  logger.info("synced pod", { pod: "default/web", containers: 2, ok: true, err: new Error("no such image") });
  assert.equal(
    lines[0],
    'I1127 12:30:43.123000 synced pod pod="default/web" containers=2 ok=true err="no such image"',
  );
});

test("createLogger pads single-digit months, days and hours", () => {
  const lines: string[] = [];
  createLogger({ write: (l) => lines.push(l), now: () => new Date("2024-01-02T03:04:05.006Z") }).info("x");
  assert.equal(lines[0], "I0102 03:04:05.006000 x");
});

test("createLogger in json format writes one object a line with ts, level, v, msg and fields", () => {
  const { logger, lines } = capture({ format: "json" });
  logger.info("synced pod", { pod: "default/web" });
  logger.warn("slow");
  logger.error("failed");
  assert.deepEqual(lines.map((l) => JSON.parse(l)), [
    { ts: NOW.getTime() / 1000, level: "info", v: 0, msg: "synced pod", pod: "default/web" },
    { ts: NOW.getTime() / 1000, level: "warning", v: 0, msg: "slow" },
    { ts: NOW.getTime() / 1000, level: "error", v: 0, msg: "failed" },
  ]);
});

test("createLogger in json format writes an Error field as its message", () => {
  const { logger, lines } = capture({ format: "json" });
  logger.error("cannot start container", { err: new Error("no such image") });
  assert.equal(JSON.parse(lines[0]).err, "no such image");
});

const verbosityCases: { verbosity: number; shown: number[] }[] = [
  { verbosity: 0, shown: [0] },
  { verbosity: 2, shown: [0, 1, 2] },
  { verbosity: 4, shown: [0, 1, 2, 3, 4] },
];

for (const { verbosity, shown } of verbosityCases) {
  test(`createLogger with -v=${verbosity} writes v(level) lines for levels ${shown.join(", ")}`, () => {
    const { logger, lines } = capture({ verbosity });
    for (const level of [0, 1, 2, 3, 4]) logger.v(level, `level ${level}`);
    assert.deepEqual(lines, shown.map((l) => `I1127 12:30:43.123000 level ${l}`));
  });
}

test("createLogger in json format records the v level of a v() line", () => {
  const { logger, lines } = capture({ format: "json", verbosity: 3 });
  logger.v(3, "relisted");
  assert.equal(JSON.parse(lines[0]).v, 3);
});
