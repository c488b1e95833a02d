/**
 * A small metrics registry: counters, gauges and histograms with labels,
 * written in the Prometheus text exposition format (version 0.0.4), as the
 * kubelet's `/metrics` serves them.
 *
 * @module
 */

/** Label values by label name. */
export type Labels = Record<string, string>;

/** The `Content-Type` of the text exposition format. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Prometheus' default histogram buckets (`prometheus.DefBuckets`), in seconds. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** `count` buckets starting at `start`, each `factor` times the one before (`prometheus.ExponentialBuckets`). */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  const out = [start];
  // Multiplied one step at a time, as the Go client does, so the bounds print the same.
  while (out.length < count) out.push(out[out.length - 1] * factor);
  return out;
}

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge" | "histogram";
  /** The sample lines, without HELP and TYPE. */
  samples(): string[];
}

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}` : "";
}

/** A number as Prometheus writes it (`+Inf`, `NaN`, integers without a point). */
export function formatValue(v: number): string {
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (Number.isNaN(v)) return "NaN";
  return String(v);
}

/** Keys label sets in the order of the metric's label names. */
class Series<T> {
  readonly #values = new Map<string, { labels: Labels; value: T }>();
  constructor(private readonly labelNames: readonly string[], private readonly make: () => T) {}

  get(labels: Labels): T {
    const ordered: Labels = {};
    for (const name of this.labelNames) ordered[name] = labels[name] ?? "";
    const key = JSON.stringify(ordered);
    let entry = this.#values.get(key);
    if (!entry) this.#values.set(key, entry = { labels: ordered, value: this.make() });
    return entry.value;
  }

  entries(): { labels: Labels; value: T }[] {
    return [...this.#values.values()];
  }
}

/** A value that only goes up. */
export class Counter implements Metric {
  readonly type = "counter";
  readonly #series: Series<{ v: number }>;

  constructor(readonly name: string, readonly help: string, labelNames: readonly string[] = []) {
    this.#series = new Series(labelNames, () => ({ v: 0 }));
    // A metric without labels has its one series from the start, at zero, as Prometheus' clients show it.
    if (labelNames.length === 0) this.#series.get({});
  }

  /** Adds `by` (default 1, never negative) to the series of `labels`. */
  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new RangeError(`counter ${this.name}: cannot add ${by}`);
    this.#series.get(labels).v += by;
  }

  value(labels: Labels = {}): number {
    return this.#series.get(labels).v;
  }

  samples(): string[] {
    return this.#series.entries().map(({ labels, value }) =>
      `${this.name}${labelText(labels)} ${formatValue(value.v)}`
    );
  }
}

/**
 * A value that goes up and down: set directly, or read at scrape time from
 * `collect`, which returns every series (so series that vanished go away).
 */
export class Gauge implements Metric {
  readonly type = "gauge";
  readonly #series: Series<{ v: number }>;

  constructor(
    readonly name: string,
    readonly help: string,
    labelNames: readonly string[] = [],
    private readonly collect?: () => { labels?: Labels; value: number }[],
  ) {
    this.#series = new Series(labelNames, () => ({ v: 0 }));
  }

  set(value: number, labels: Labels = {}): void {
    this.#series.get(labels).v = value;
  }

  samples(): string[] {
    const entries = this.collect
      ? this.collect().map((s) => ({ labels: s.labels ?? {}, value: { v: s.value } }))
      : this.#series.entries();
    return entries.map(({ labels, value }) => `${this.name}${labelText(labels)} ${formatValue(value.v)}`);
  }
}

/** Observations counted into cumulative buckets, with their sum and count. */
export class Histogram implements Metric {
  readonly type = "histogram";
  readonly #series: Series<{ counts: number[]; sum: number; count: number }>;
  readonly buckets: readonly number[];

  constructor(
    readonly name: string,
    readonly help: string,
    buckets: readonly number[],
    labelNames: readonly string[] = [],
  ) {
    this.buckets = [...buckets].sort((a, b) => a - b);
    this.#series = new Series(labelNames, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    if (labelNames.length === 0) this.#series.get({});
  }

  observe(value: number, labels: Labels = {}): void {
    const s = this.#series.get(labels);
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) s.counts[i]++;
    s.sum += value;
    s.count++;
  }

  /** Count and sum of the series of `labels`. */
  totals(labels: Labels = {}): { count: number; sum: number } {
    const { count, sum } = this.#series.get(labels);
    return { count, sum };
  }

  samples(): string[] {
    const lines: string[] = [];
    for (const { labels, value } of this.#series.entries()) {
      this.buckets.forEach((le, i) => {
        lines.push(`${this.name}_bucket${labelText({ ...labels, le: formatValue(le) })} ${value.counts[i]}`);
      });
      lines.push(`${this.name}_bucket${labelText({ ...labels, le: "+Inf" })} ${value.count}`);
      lines.push(`${this.name}_sum${labelText(labels)} ${formatValue(value.sum)}`);
      lines.push(`${this.name}_count${labelText(labels)} ${value.count}`);
    }
    return lines;
  }
}

/** Holds metrics by name and writes them all out. */
export class Registry {
  readonly #metrics = new Map<string, Metric>();

  /** Adds a metric; returns it. @throws {Error} when the name is taken. */
  register<M extends Metric>(metric: M): M {
    if (this.#metrics.has(metric.name)) throw new Error(`metric ${metric.name} registered twice`);
    this.#metrics.set(metric.name, metric);
    return metric;
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.register(new Counter(name, help, labelNames));
  }

  gauge(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    collect?: () => { labels?: Labels; value: number }[],
  ): Gauge {
    return this.register(new Gauge(name, help, labelNames, collect));
  }

  histogram(
    name: string,
    help: string,
    buckets: readonly number[],
    labelNames: readonly string[] = [],
  ): Histogram {
    return this.register(new Histogram(name, help, buckets, labelNames));
  }

  /** Every metric in the text exposition format, sorted by name; a metric without series shows only HELP and TYPE. */
  expose(): string {
    const out: string[] = [];
    for (const name of [...this.#metrics.keys()].sort()) {
      const m = this.#metrics.get(name)!;
      out.push(`# HELP ${m.name} ${escapeHelp(m.help)}`, `# TYPE ${m.name} ${m.type}`, ...m.samples());
    }
    return out.join("\n") + "\n";
  }
}
