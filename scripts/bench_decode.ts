/**
 * Measures how long the worst manifests up to the size cap (1 MiB) take to
 * read, and how long they keep the event loop from running, and prints a
 * table: decode time (`decodeManifest`, all at once; wall and CPU time, the
 * CPU time being what a busy machine inflates least), the whole of
 * `addManifestPods` (decode, validate, static pod; as the sources run it)
 * and the longest stall of a 1 ms timer while `addManifestPods` runs.
 *
 *   deno run -A scripts/bench_decode.ts      bun scripts/bench_decode.ts
 *
 * @module
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { decodeManifest } from "../src/manifest/decode.ts";
import { MAX_MANIFEST_BYTES, MAX_QUOTED_STRING } from "../src/manifest/limits.ts";
import { addManifestPods } from "../src/config/manifest_pods.ts";
import type { Snapshot } from "../src/config/snapshot.ts";
import {
  aliasBomb,
  deepBlock,
  deepFlow,
  deepJson,
  manyAnnotations,
  mergeBomb,
} from "../tests/manifest/_hostile.ts";

const CAP = MAX_MANIFEST_BYTES;
const fill = (unit: string, prefix = "", suffix = "") =>
  prefix + unit.repeat(Math.floor((CAP - prefix.length - suffix.length) / unit.length)) + suffix;
const POD =
  "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: busybox}]}\n";

const corpus: [string, string][] = [
  [
    "kubeadm kube-apiserver.yaml",
    readFileSync(new URL("../tests/testdata/kubeadm/kube-apiserver.yaml", import.meta.url), "utf8"),
  ],
  ["annotations, 1 MiB of small entries", manyAnnotations(CAP - 100)],
  ["flow list of 1 MiB of 1-char items", fill("1,", "a: [", "1]\n")],
  ["block list of 1 MiB of items", fill("- 1\n", "a:\n")],
  [
    "one 1 MiB block string",
    fill("x", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    a: |\n      ", "\n"),
  ],
  ["one 256 KiB double-quoted string", `a: "${"x".repeat(MAX_QUOTED_STRING - 2)}"\n`],
  ["1 MiB of document markers", fill("---\n")],
  ["1 MiB of small pods", fill(`---\n${POD}`)],
  ["1 MiB of comments", fill("# comment\n")],
  ["merge-key bomb (24 levels)", mergeBomb(24)],
  ["alias bomb (billion laughs)", aliasBomb()],
  ["deep flow lists, 1 MiB", deepFlow(CAP / 2 - 4)],
  ["deep block maps, 1,400 levels", deepBlock(1_400)],
  ["deep JSON, 1 MiB", deepJson(Math.floor(CAP / 6) - 1)],
  [
    "JSON, 1 MiB of annotations",
    JSON.stringify({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "p",
        annotations: Object.fromEntries(Array.from({ length: 45_000 }, (_, i) => [`k${i}`, `v${i}`])),
      },
      spec: { containers: [{ name: "c", image: "busybox" }] },
    }),
  ],
  ["JSON, 1 MiB list of numbers", fill("1,", '{"a": [', "1]}")],
];

/** The longest gap between ticks of a 1 ms timer while `fn` runs (ms). */
async function longestStall(fn: () => Promise<unknown>): Promise<number> {
  let last = performance.now(), worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  await fn();
  worst = Math.max(worst, performance.now() - last);
  clearInterval(timer);
  return worst;
}

// One round first, so that the measured one runs compiled code.
for (const [, text] of corpus) decodeManifest(text);

const rows: string[][] = [[
  "input",
  "bytes",
  "decode ms",
  "decode CPU ms",
  "addManifestPods ms",
  "longest stall ms",
  "result",
]];
let worstDecode = 0, worstCpu = 0, worstStall = 0;
for (const [name, text] of corpus) {
  if (new TextEncoder().encode(text).length > CAP) throw new Error(`${name} is over the cap`);
  let t = performance.now();
  const cpu = process.cpuUsage();
  const docs = decodeManifest(text);
  const decodeMs = performance.now() - t;
  const { user, system } = process.cpuUsage(cpu);
  const decodeCpuMs = (user + system) / 1000;
  const snapshot: Snapshot = { source: "file", pods: [], problems: [], failedOrigins: [] };
  const from = { source: "file" as const, origin: "/m/x.yaml", nodeName: "n", seen: new Date() };
  t = performance.now();
  const stall = await longestStall(() => addManifestPods(text, from, snapshot));
  const addMs = performance.now() - t;
  worstDecode = Math.max(worstDecode, decodeMs);
  worstCpu = Math.max(worstCpu, decodeCpuMs);
  worstStall = Math.max(worstStall, stall);
  const result = snapshot.problems[0]?.message ??
    `${docs.length} document(s), ${snapshot.pods.length} pod(s)`;
  rows.push([
    name,
    String(text.length),
    decodeMs.toFixed(1),
    decodeCpuMs.toFixed(1),
    addMs.toFixed(1),
    stall.toFixed(1),
    result.slice(0, 60),
  ]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join("  "));
console.log(
  `\nworst decode: ${worstDecode.toFixed(1)} ms (CPU ${worstCpu.toFixed(1)} ms); worst stall of the loop: ${
    worstStall.toFixed(1)
  } ms`,
);
