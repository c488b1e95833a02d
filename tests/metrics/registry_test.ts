import { test } from "node:test";
import assert from "node:assert/strict";
import { exponentialBuckets, Registry } from "../../src/metrics/registry.ts";

test("registry writes counters with HELP, TYPE and one line per label set, sorted by metric name", () => {
  const r = new Registry();
  const c = r.counter("b_total", "Things.", ["kind"]);
  r.counter("a_total", "Other things.");
  c.inc({ kind: "x" });
  c.inc({ kind: "x" }, 2);
  c.inc({ kind: 'q"uote' });
  assert.equal(
    r.expose(),
    [
      "# HELP a_total Other things.",
      "# TYPE a_total counter",
      "a_total 0",
      "# HELP b_total Things.",
      "# TYPE b_total counter",
      'b_total{kind="x"} 3',
      'b_total{kind="q\\"uote"} 1',
      "",
    ].join("\n"),
  );
});

test("counter refuses to go down", () => {
  const c = new Registry().counter("c_total", "c");
  assert.throws(() => c.inc({}, -1), RangeError);
});

test("histogram counts observations into cumulative buckets with +Inf, sum and count", () => {
  const r = new Registry();
  const h = r.histogram("d_seconds", "Durations.", [0.5, 1, 2], ["op"]);
  for (const v of [0.1, 0.5, 1.5, 3]) h.observe(v, { op: "sync" });
  assert.deepEqual(r.expose().trim().split("\n").slice(2), [
    'd_seconds_bucket{op="sync",le="0.5"} 2',
    'd_seconds_bucket{op="sync",le="1"} 2',
    'd_seconds_bucket{op="sync",le="2"} 3',
    'd_seconds_bucket{op="sync",le="+Inf"} 4',
    'd_seconds_sum{op="sync"} 5.1',
    'd_seconds_count{op="sync"} 4',
  ]);
  assert.deepEqual(h.totals({ op: "sync" }), { count: 4, sum: 5.1 });
});

test("gauge with a collector shows exactly the series the collector returns at scrape time", () => {
  const r = new Registry();
  let n = 1;
  r.gauge("g", "Gauge.", ["state"], () => [{ labels: { state: "running" }, value: n }]);
  assert.match(r.expose(), /^g\{state="running"\} 1$/m);
  n = 5;
  assert.match(r.expose(), /^g\{state="running"\} 5$/m);
});

test("registering a name twice throws", () => {
  const r = new Registry();
  r.gauge("x", "x");
  assert.throws(() => r.counter("x", "x"), /registered twice/);
});

test("exponentialBuckets multiplies step by step like the Go client (kubelet runtime buckets)", () => {
  const b = exponentialBuckets(0.005, 2.5, 14);
  assert.equal(b.length, 14);
  assert.equal(b[0], 0.005);
  assert.equal(b[1], 0.0125);
  assert.ok(Math.abs(b[13] - 0.005 * 2.5 ** 13) < 1e-6);
});
