import { test } from "node:test";
import assert from "node:assert/strict";
import { createLogger, LOG_CALLER } from "../src/log.ts";
import { klogMessage, parseKlogLine } from "./_klog.ts";

// klog writes local time; so does the logger.
const NOW = new Date(2024, 10, 27, 12, 30, 43, 123);

/** A logger writing into an array, at a fixed time, as process 4321. */
function capture(options: { format?: "text" | "json"; verbosity?: number } = {}) {
  const lines: string[] = [];
  const logger = createLogger({ ...options, write: (line) => lines.push(line), now: () => NOW, pid: 4321 });
  return { logger, lines };
}

test("createLogger writes klog's header: severity, mmdd, time with microseconds, pid in 7 columns, file:line]", () => {
  const { logger, lines } = capture();
  logger.info("started");
  logger.warn("slow");
  logger.error("failed");
  assert.deepEqual(lines, [
    `I1127 12:30:43.123000    4321 ${LOG_CALLER}] "started"`,
    `W1127 12:30:43.123000    4321 ${LOG_CALLER}] "slow"`,
    `E1127 12:30:43.123000    4321 ${LOG_CALLER}] "failed"`,
  ]);
});

test("createLogger quotes the message and string values; numbers and booleans are bare; error becomes err, first", () => {
  const { logger, lines } = capture();
  logger.info('synced pod "web"', {
    pod: "default/web",
    containers: 2,
    ok: true,
    error: new Error("no such image"),
  });
  assert.equal(
    lines[0],
    `I1127 12:30:43.123000    4321 ${LOG_CALLER}] "synced pod \\"web\\"" err="no such image" pod="default/web" containers=2 ok=true`,
  );
});

test("createLogger pads single-digit months, days and hours", () => {
  const lines: string[] = [];
  createLogger({ write: (l) => lines.push(l), now: () => new Date(2024, 0, 2, 3, 4, 5, 6) }).info("x");
  assert.equal(lines[0], `I0102 03:04:05.006000       0 ${LOG_CALLER}] "x"`);
});

test("each text line parses with a strict klog parser, which reads the message and fields back", () => {
  const { logger, lines } = capture({ verbosity: 4 });
  const fields = { pod: 'ns/a "b"\nc', n: 3, ok: false, obj: { a: [1, "x y"] }, none: null };
  logger.info("plain", fields);
  logger.warn('with = and ] and "quotes"', fields);
  logger.error("failed", { error: new Error("boom\tx"), path: "/m/a.yaml" });
  logger.v(4, "verbose");
  const parsed = lines.map(parseKlogLine);
  assert.deepEqual(parsed.map((p) => [p.severity, p.pid, `${p.file}:${p.line}`]), [
    ["I", 4321, LOG_CALLER],
    ["W", 4321, LOG_CALLER],
    ["E", 4321, LOG_CALLER],
    ["I", 4321, LOG_CALLER],
  ]);
  assert.deepEqual(parsed[0].fields, fields);
  assert.equal(parsed[1].msg, 'with = and ] and "quotes"');
  assert.deepEqual(parsed[2].fields, { err: "boom\tx", path: "/m/a.yaml" });
  assert.equal(klogMessage(lines[3]), "verbose");
});

test("the klog parser refuses lines that are not klog's", () => {
  for (
    const bad of [
      "I1127 12:30:43.123 started",
      `I1127 12:30:43.123000    4321 ${LOG_CALLER}] started`,
      `X1127 12:30:43.123000    4321 ${LOG_CALLER}] "x"`,
      `I1327 12:30:43.123000    4321 ${LOG_CALLER}] "x"`,
      `I1127 12:30:43.123000    4321 kubelet] "x"`,
      `I1127 12:30:43.123000    4321 ${LOG_CALLER}] "x" k=`,
      `I1127 12:30:43.123000    4321 ${LOG_CALLER}] "x" k="open`,
    ]
  ) {
    assert.throws(() => parseKlogLine(bad), Error, bad);
  }
});

test("createLogger in json format writes component-base's fields: ts in milliseconds, caller, msg, v", () => {
  const { logger, lines } = capture({ format: "json" });
  logger.info("synced pod", { pod: "default/web" });
  logger.warn("slow");
  assert.deepEqual(lines.map((l) => JSON.parse(l)), [
    { ts: NOW.getTime(), caller: LOG_CALLER, msg: "synced pod", v: 0, pod: "default/web" },
    { ts: NOW.getTime(), caller: LOG_CALLER, msg: "slow", v: 0 },
  ]);
  assert.deepEqual(Object.keys(JSON.parse(lines[0])), ["ts", "caller", "msg", "v", "pod"]);
});

test("createLogger in json format writes an error line with its error under err and no v", () => {
  const { logger, lines } = capture({ format: "json" });
  logger.error("cannot start container", { error: new Error("no such image"), pod: "p" });
  assert.deepEqual(JSON.parse(lines[0]), {
    ts: NOW.getTime(),
    caller: LOG_CALLER,
    msg: "cannot start container",
    err: "no such image",
    pod: "p",
  });
});

test("createLogger in json format never lets a field replace ts, caller, msg or v", () => {
  const { logger, lines } = capture({ format: "json" });
  logger.info("real", { msg: "fake", ts: 1, v: 9, caller: "x" });
  assert.deepEqual(JSON.parse(lines[0]), { ts: NOW.getTime(), caller: LOG_CALLER, msg: "real", v: 0 });
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
    assert.deepEqual(lines.map(klogMessage), shown.map((l) => `level ${l}`));
  });
}

test("createLogger in json format records the v level of a v() line", () => {
  const { logger, lines } = capture({ format: "json", verbosity: 3 });
  logger.v(3, "relisted");
  assert.equal(JSON.parse(lines[0]).v, 3);
});
