import { test } from "node:test";
import assert from "node:assert/strict";
import { nanoTimestamp, nanoTimestamps } from "../../src/server/log_timestamps.ts";

for (
  const [given, expected] of [
    ["2026-11-30T05:12:09Z ", "2026-11-30T05:12:09.000000000Z "],
    ["2026-11-30T05:12:09.5Z ", "2026-11-30T05:12:09.500000000Z "],
    ["2026-11-30T05:12:09.123456789Z ", "2026-11-30T05:12:09.123456789Z "],
    ["2026-11-30T06:12:09+01:00 ", "2026-11-30T05:12:09.000000000Z "],
    ["2026-11-30T05:12:09 ", "2026-11-30T05:12:09 "],
    ["hello ", "hello "],
  ] as const
) {
  test(`nanoTimestamp writes ${JSON.stringify(given)} as ${JSON.stringify(expected)}`, () => {
    assert.equal(nanoTimestamp(given), expected);
  });
}

/** Pipes `chunks` through nanoTimestamps and collects the text. */
async function through(chunks: (string | Uint8Array)[]): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const source = new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      c.close();
    },
  });
  return new Uint8Array(await new Response(nanoTimestamps(source)).arrayBuffer());
}

test("nanoTimestamps rewrites the time of every line, also when a chunk ends inside the time", async () => {
  const out = await through([
    "2026-11-30T05:12:09Z one\n2026-11-30T0",
    "5:12:10Z two words\n",
    "2026-11-30T05:12:1",
    "1Z",
  ]);
  assert.equal(
    new TextDecoder().decode(out),
    "2026-11-30T05:12:09.000000000Z one\n2026-11-30T05:12:10.000000000Z two words\n2026-11-30T05:12:11Z",
  );
});

test("nanoTimestamps leaves lines without a time, long first words and non-UTF-8 bytes as they came", async () => {
  const odd = new Uint8Array([0xff, 0xfe, 0x20, 0x41, 0x0a]);
  const long = `${"x".repeat(50)} y\n`;
  const out = await through(["no time here\n", long, odd, "\n"]);
  assert.deepEqual(
    out,
    new Uint8Array([...new TextEncoder().encode(`no time here\n${long}`), ...odd, 0x0a]),
  );
});
