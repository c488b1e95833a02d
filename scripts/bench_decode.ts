/**
 * Measures what the worst manifests up to the size cap (1 MiB) cost the
 * kubelet, and what a corpus of bad manifests gets back. Prints two tables.
 *
 * The first ranks the worst inputs (`_decode_corpus.ts`: what 1 MiB of each
 * shape of text gives, and the largest of each shape the bounds let through)
 * by the CPU time of `decodeManifest` (all at once), the figure a busy
 * machine inflates least; beside it its wall time, and for the whole of
 * `addManifestPods` as the sources run it (decode, warnings, defaults,
 * validation, static pods; sliced to let the event loop run) the CPU time,
 * the wall time and the longest block of the event loop: the longest gap
 * between two ticks of a 1 ms timer. Each is the median / max of `--repeat`
 * rounds (round robin over the inputs, after one warm-up round).
 *
 * The second reads the bad corpus with the file source from a temporary
 * directory, as the kubelet does: how many files were tried, how many got an
 * error naming the file, its line (where the text has one) and the field or
 * bound (`BadInput.expect`), and the process's RSS before and after.
 *
 *   deno run -A scripts/bench_decode.ts [--repeat 7] [--only TEXT]
 *   bun scripts/bench_decode.ts [--repeat 7] [--only TEXT]
 *
 * @module
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import process from "node:process";
import { decodeManifest } from "../src/manifest/decode.ts";
import { platform } from "../src/platform/mod.ts";
import { readFileSource } from "../src/config/file_source.ts";
import { addManifestPods } from "../src/config/manifest_pods.ts";
import type { Snapshot } from "../src/config/snapshot.ts";
import { badInputs, worstInputs } from "./_decode_corpus.ts";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const REPEAT = Number(option("--repeat") ?? 7);
const ONLY = option("--only");
const runtime = "Bun" in globalThis ? "bun" : "deno";

/** Wall and CPU time of `fn`, in ms, and its result. */
async function timed<T>(fn: () => T | Promise<T>): Promise<{ wall: number; cpu: number; value: T }> {
  const wall = performance.now(), cpu = process.cpuUsage();
  const value = await fn();
  const { user, system } = process.cpuUsage(cpu);
  return { wall: performance.now() - wall, cpu: (user + system) / 1000, value };
}

/**
 * `fn`'s wall and CPU time, the longest gap between two ticks of a 1 ms timer
 * meanwhile (`block`, ms), and the CPU time the process used in the gap with
 * the most (`blockCpu`): on a busy machine a gap also holds the time the
 * process waited for a core, the CPU time only the work.
 */
async function withLoopProbe<T>(fn: () => Promise<T>) {
  let last = performance.now(), lastCpu = process.cpuUsage(), block = 0, blockCpu = 0;
  const tick = () => {
    const now = performance.now(), { user, system } = process.cpuUsage(lastCpu);
    block = Math.max(block, now - last);
    blockCpu = Math.max(blockCpu, (user + system) / 1000);
    [last, lastCpu] = [now, process.cpuUsage()];
  };
  const timer = setInterval(tick, 1);
  const result = await timed(fn);
  tick();
  clearInterval(timer);
  return { ...result, block, blockCpu };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cell = (xs: number[]) => `${median(xs).toFixed(1)} / ${Math.max(...xs).toFixed(1)}`;

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(line(rows[0]));
  console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
  for (const row of rows.slice(1)) console.log(line(row));
}

const from = { source: "file" as const, origin: "/m/x.yaml", nodeName: "n", seen: new Date() };
const newSnapshot = (): Snapshot => ({ source: "file", pods: [], problems: [], failedOrigins: [] });

const corpus = worstInputs().filter(([name]) => !ONLY || name.includes(ONLY));
const results = corpus.map(() => ({
  decodeCpu: [] as number[],
  decodeWall: [] as number[],
  addCpu: [] as number[],
  addWall: [] as number[],
  block: [] as number[],
  blockCpu: [] as number[],
  result: "",
}));
// One warm-up round, so that the measured ones run compiled code.
for (const [, text] of corpus) await addManifestPods(text, from, newSnapshot());
for (let round = 0; round < REPEAT; round++) {
  for (const [i, [, text]] of corpus.entries()) {
    const r = results[i];
    const decoded = await timed(() => decodeManifest(text));
    r.decodeCpu.push(decoded.cpu);
    r.decodeWall.push(decoded.wall);
    const snapshot = newSnapshot();
    const added = await withLoopProbe(() => addManifestPods(text, from, snapshot));
    r.addCpu.push(added.cpu);
    r.addWall.push(added.wall);
    r.block.push(added.block);
    r.blockCpu.push(added.blockCpu);
    const docs = decoded.value.length;
    r.result = snapshot.problems[0]?.message.replace(/^pod "[^"]*": /, "").slice(0, 50) ??
      `${docs} document(s), ${snapshot.pods.length} pod(s)`;
    if (snapshot.problems[0] && snapshot.problems.length > 1) {
      r.result += ` (+${snapshot.problems.length - 1})`;
    }
  }
}

const order = corpus.map((_, i) => i).sort((a, b) =>
  median(results[b].decodeCpu) - median(results[a].decodeCpu)
);
console.log(
  `## ${runtime}: the worst inputs up to the cap, by decode CPU time (ms, median / max of ${REPEAT})\n`,
);
printTable([
  [
    "#",
    "input",
    "KiB",
    "decode CPU",
    "decode wall",
    "addManifestPods CPU",
    "wall",
    "longest loop block",
    "its CPU",
    "result",
  ],
  ...order.map((i, rank) => {
    const r = results[i];
    return [
      String(rank + 1),
      corpus[i][0],
      (corpus[i][1].length / 1024).toFixed(0),
      cell(r.decodeCpu),
      cell(r.decodeWall),
      cell(r.addCpu),
      cell(r.addWall),
      cell(r.block),
      cell(r.blockCpu),
      r.result,
    ];
  }),
]);
const worst = (key: "decodeCpu" | "decodeWall" | "addCpu" | "block" | "blockCpu") => {
  const i = results.map((r) => median(r[key])).reduce((best, m, j, all) => (m > all[best] ? j : best), 0);
  return `${median(results[i][key]).toFixed(1)} ms median, ${
    Math.max(...results.flatMap((r) => r[key])).toFixed(1)
  } ms max (${corpus[i][0]})`;
};
console.log(`\nworst decode CPU: ${worst("decodeCpu")}`);
console.log(`worst decode wall: ${worst("decodeWall")}`);
console.log(`worst addManifestPods CPU: ${worst("addCpu")}`);
console.log(`longest loop block: ${worst("block")}`);
console.log(`most CPU in one loop block: ${worst("blockCpu")}`);

// The bad corpus, read by the file source from a directory, as the kubelet reads it.
if (!ONLY) {
  const bad = badInputs();
  const dir = await mkdtemp(`${tmpdir()}/bench-decode-`);
  try {
    for (const { name, text } of bad) await writeFile(`${dir}/${name}`, text);
    const rss = () => process.memoryUsage().rss / 2 ** 20;
    const rssBefore = rss();
    let rssMax = rssBefore;
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, rss())), 20);
    const read = await withLoopProbe(() => readFileSource(platform, dir, { nodeName: "n" }));
    clearInterval(sampler);
    const rssAfter = rss();
    const snapshot = read.value;
    const said = [...snapshot.problems, ...snapshot.notes ?? []];
    const unclear = bad.filter(({ name, expect }) =>
      !said.some((p) =>
        p.origin === `${dir}/${name}` &&
        (expect.test(p.message) || expect.test(p.message.replace(/\[([^\]\d][^\]]*)\]/g, ".$1"))) &&
        // A line where the text was read; a file refused whole has none to give.
        (p.line !== undefined || /larger than|file is empty|holds no document/.test(p.message))
      )
    );
    console.log(`\n## ${runtime}: the bad-input corpus, read by the file source from one directory\n`);
    printTable([
      [
        "bad inputs tried",
        "clear errors (file, line, field or bound)",
        "pods accepted",
        "read CPU ms",
        "read wall ms",
        "longest loop block ms",
        "its CPU ms",
        "RSS before MiB",
        "RSS after MiB",
        "RSS max MiB",
      ],
      [
        String(bad.length),
        String(bad.length - unclear.length),
        String(snapshot.pods.length),
        read.cpu.toFixed(0),
        read.wall.toFixed(0),
        read.block.toFixed(1),
        read.blockCpu.toFixed(1),
        rssBefore.toFixed(0),
        rssAfter.toFixed(0),
        rssMax.toFixed(0),
      ],
    ]);
    for (const { name, expect } of unclear) {
      const got = said.filter((p) => p.origin === `${dir}/${name}`).map((p) =>
        `line ${p.line}: ${p.message}`
      );
      console.log(`not clear: ${JSON.stringify(name)} (want ${expect}): ${got.join("; ") || "nothing"}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
