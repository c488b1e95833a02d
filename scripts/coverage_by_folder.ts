/**
 * Unit line coverage of `src/`, per folder: reads a coverage directory that
 * `deno test --coverage=DIR` wrote (through `deno coverage --lcov`) and prints
 * one markdown row per folder of `src/` (files directly in `src/` count as
 * `src/`), then the total. Given a second directory, prints both side by
 * side (before, after), for a change's closing note.
 *
 *   deno test -A --coverage=/tmp/cov $(find tests -name '*_test.ts' -not -path 'tests/e2e/*')
 *   deno run -A scripts/coverage_by_folder.ts /tmp/cov [/tmp/cov-after]
 *
 * @module
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import process from "node:process";

const exec = promisify(execFile);
const ROOT = new URL("..", import.meta.url).pathname;

/** Lines found and hit, by folder. */
type Counts = Map<string, { found: number; hit: number }>;

/** The folder a source file counts under: `src/<first folder>`, or `src` for files directly in it. */
export function folderOf(file: string): string | undefined {
  const at = file.indexOf("/src/");
  const rel = at >= 0 ? file.slice(at + 1) : file.startsWith("src/") ? file : undefined;
  if (!rel) return undefined;
  const parts = rel.split("/");
  return parts.length > 2 ? `src/${parts[1]}` : "src";
}

/**
 * Sums an lcov report's `LF` (lines found) and `LH` (lines hit) per folder of
 * `src/`; files outside `src/` (tests, scripts, dependencies) are left out.
 */
export function countByFolder(lcov: string): Counts {
  const counts: Counts = new Map();
  let folder: string | undefined;
  for (const line of lcov.split("\n")) {
    if (line.startsWith("SF:")) folder = folderOf(line.slice(3));
    else if (folder && (line.startsWith("LF:") || line.startsWith("LH:"))) {
      const c = counts.get(folder) ?? { found: 0, hit: 0 };
      if (line.startsWith("LF:")) c.found += Number(line.slice(3));
      else c.hit += Number(line.slice(3));
      counts.set(folder, c);
    } else if (line === "end_of_record") folder = undefined;
  }
  return counts;
}

async function read(dir: string): Promise<Counts> {
  const { stdout } = await exec("deno", ["coverage", "--lcov", `--include=${ROOT}src/`, dir], {
    cwd: ROOT,
    maxBuffer: 256 << 20,
  });
  return countByFolder(stdout);
}

const pct = (c?: { found: number; hit: number }) =>
  c && c.found ? `${(100 * c.hit / c.found).toFixed(1)} %` : "-";
const total = (counts: Counts) =>
  [...counts.values()].reduce((t, c) => ({ found: t.found + c.found, hit: t.hit + c.hit }), {
    found: 0,
    hit: 0,
  });

if (import.meta.main) {
  const dirs = process.argv.slice(2);
  if (dirs.length < 1 || dirs.length > 2) {
    console.error("usage: coverage_by_folder.ts COVERAGE_DIR [COVERAGE_DIR_AFTER]");
    process.exit(2);
  }
  const runs = await Promise.all(dirs.map(read));
  const folders = [...new Set(runs.flatMap((r) => [...r.keys()]))].sort();
  const heads = runs.length === 1 ? ["lines", "covered"] : ["lines", "before", "after"];
  console.log(`| folder | ${heads.join(" | ")} |`);
  console.log(`| --- | ${heads.map(() => "---:").join(" | ")} |`);
  const row = (name: string, cs: ({ found: number; hit: number } | undefined)[]) =>
    console.log(`| ${name} | ${cs.at(-1)?.found ?? 0} | ${cs.map(pct).join(" | ")} |`);
  for (const f of folders) row(f, runs.map((r) => r.get(f)));
  row("**all of src/**", runs.map(total));
}
