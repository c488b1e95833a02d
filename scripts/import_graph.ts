/**
 * The import graph of `src/`: line counts per folder, the imports that point up the layering
 * (back arrows) and the file-level import cycles.
 *
 * ```sh
 * deno run -A scripts/import_graph.ts          # the report; exits 1 when any back arrow or cycle
 * deno run -A scripts/import_graph.ts --json   # the same as JSON
 * ```
 *
 * The layering, lowest first, is {@linkcode LAYERS}: a module may import from its own layer and
 * from any layer below it, never from one above. Type-only imports count: a type is a
 * dependency too. Only relative imports are followed (packages are outside the layering).
 *
 * @module
 */

/**
 * The layers of `src/`, lowest first. Each entry is one layer: the folders (`docker`) and the
 * files directly in `src/` (`log.ts`) in it. A folder's subfolders belong to it
 * (`server/apiserver` is `server`). Mirrors the kubelet's packages: the Engine client under the
 * runtime, the runtime under the prober, status and the sync loop, the servers above the kubelet,
 * and the command line on top.
 */
export const LAYERS: readonly (readonly string[])[] = [
  [
    "version.ts",
    "duration.ts",
    "log.ts",
    "error_throttle.ts",
    "timers.ts",
    "canonical_json.ts",
    "semaphore.ts",
  ],
  ["platform"],
  ["api"],
  ["fieldpath"],
  ["manifest"],
  ["docker"],
  ["credentialprovider"],
  ["metrics", "events"],
  ["nodeinfo"],
  ["lifecycle"],
  ["volume"],
  ["runtime"],
  ["prober"],
  ["status"],
  ["stats"],
  ["config"],
  ["kubelet"],
  ["server"],
  ["flags"],
  ["kubeletconfig"],
  ["run.ts", "run_once.ts"],
  ["cli"],
  ["cli.ts"],
  ["main.ts"],
];

/** One file's imports and size. */
export interface Module {
  /** The path relative to the repository, with `/`. */
  path: string;
  lines: number;
  /** Relative imports, resolved to repository paths. */
  imports: string[];
}

/** An import from a lower layer up to a higher one. */
export interface BackArrow {
  from: string;
  to: string;
  fromUnit: string;
  toUnit: string;
}

/** The report {@linkcode analyse} returns. */
export interface Report {
  /** Lines per folder of `src/` (`src/*.ts` for the files directly in it), sorted by name. */
  folders: { folder: string; files: number; lines: number }[];
  backArrows: BackArrow[];
  /**
   * One entry per strongly connected component of the file graph: `files`, every file of it, and
   * `cycle`, one shortest cycle through its first file (that file repeated at the end).
   */
  cycles: { files: string[]; cycle: string[] }[];
  /** Units (folders, root files) that no layer names. */
  unlayered: string[];
}

const IMPORT_RE = /^\s*(?:import|export)\s+(?:type\s+)?[^;()=]*?\bfrom\s*["']([^"']+)["']/gm;
const BARE_IMPORT_RE = /^\s*import\s*["']([^"']+)["']/gm;
const DYNAMIC_IMPORT_RE = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The relative specifiers `source` imports (static, re-exports, side-effect and dynamic). */
export function importSpecifiers(source: string): string[] {
  const out: string[] = [];
  for (const re of [IMPORT_RE, BARE_IMPORT_RE, DYNAMIC_IMPORT_RE]) {
    for (const m of source.matchAll(re)) if (m[1].startsWith(".")) out.push(m[1]);
  }
  return out;
}

/** `a/b/../c.ts` -> `a/c.ts`. */
function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/** The layering unit of a path under `src/`: its first folder, or its file name. */
export function unitOf(path: string): string | undefined {
  if (!path.startsWith("src/")) return undefined;
  return path.slice(4).split("/")[0];
}

/** Builds {@linkcode Report} from the modules; pure. */
export function analyse(modules: Module[], layers: readonly (readonly string[])[] = LAYERS): Report {
  const layerOf = new Map<string, number>();
  layers.forEach((units, i) => units.forEach((u) => layerOf.set(u, i)));

  const folders = new Map<string, { files: number; lines: number }>();
  const unlayered = new Set<string>();
  for (const m of modules) {
    const unit = unitOf(m.path)!;
    const folder = unit.endsWith(".ts") ? "src/*.ts" : `src/${unit}`;
    const f = folders.get(folder) ?? { files: 0, lines: 0 };
    f.files++;
    f.lines += m.lines;
    folders.set(folder, f);
    if (!layerOf.has(unit)) unlayered.add(unit);
  }

  const backArrows: BackArrow[] = [];
  for (const m of modules) {
    const fromUnit = unitOf(m.path)!;
    for (const to of m.imports) {
      const toUnit = unitOf(to);
      if (toUnit === undefined) continue;
      const a = layerOf.get(fromUnit), b = layerOf.get(toUnit);
      if (a !== undefined && b !== undefined && b > a) {
        backArrows.push({ from: m.path, to, fromUnit, toUnit });
      }
    }
  }

  return {
    folders: [...folders].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([folder, f]) => ({
      folder,
      ...f,
    })),
    backArrows,
    cycles: cycles(modules),
    unlayered: [...unlayered].sort(),
  };
}

/** One cycle through each strongly connected component of more than one file (or a self-import). */
function cycles(modules: Module[]): { files: string[]; cycle: string[] }[] {
  const graph = new Map(modules.map((m) => [m.path, m.imports]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const strong = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strong(v);

  // A shortest path back to the component's first file shows one concrete cycle.
  return components.map((files) => ({ files, cycle: shortestCycle(graph, files) }));
}

function shortestCycle(graph: Map<string, string[]>, component: string[]): string[] {
  {
    const inside = new Set(component);
    const start = component[0];
    const prev = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (!inside.has(w)) continue;
        if (w === start) {
          const path = [start];
          for (let u: string | undefined = v; u !== undefined && u !== start; u = prev.get(u)) {
            path.splice(1, 0, u);
          }
          return [...path, start];
        }
        if (!prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    return [...component, start];
  }
}

/** Reads every `.ts` file under `root/src` into {@linkcode Module}s. */
export async function readModules(root: string): Promise<Module[]> {
  const modules: Module[] = [];
  const walk = async (dir: string) => {
    const entries = [];
    for await (const e of Deno.readDir(`${root}/${dir}`)) entries.push(e);
    entries.sort((a, b) => a.name < b.name ? -1 : 1);
    for (const e of entries) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (e.isFile && e.name.endsWith(".ts")) {
        const text = await Deno.readTextFile(`${root}/${path}`);
        const lines = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
        const imports = importSpecifiers(text).map((s) => normalise(`${dirname(path)}/${s}`));
        modules.push({ path, lines, imports: [...new Set(imports)] });
      }
    }
  };
  await walk("src");
  return modules;
}

/** The report as text. */
export function format(report: Report): string {
  const out: string[] = [];
  const width = Math.max(...report.folders.map((f) => f.folder.length));
  out.push(`${"folder".padEnd(width)}  files  lines`);
  for (const f of report.folders) {
    out.push(`${f.folder.padEnd(width)}  ${String(f.files).padStart(5)}  ${String(f.lines).padStart(5)}`);
  }
  const total = report.folders.reduce((n, f) => n + f.lines, 0);
  const files = report.folders.reduce((n, f) => n + f.files, 0);
  out.push(`${"total".padEnd(width)}  ${String(files).padStart(5)}  ${String(total).padStart(5)}`);
  out.push("", `back arrows (lower layer importing a higher one): ${report.backArrows.length}`);
  for (const a of report.backArrows) out.push(`  ${a.from} -> ${a.to}   (${a.fromUnit} < ${a.toUnit})`);
  out.push("", `cycles: ${report.cycles.length}`);
  for (const c of report.cycles) {
    out.push(`  ${c.cycle.join(" -> ")}`, `    (all files of this cycle: ${c.files.join(", ")})`);
  }
  if (report.unlayered.length) {
    out.push("", `not in any layer (add them to LAYERS): ${report.unlayered.join(", ")}`);
  }
  return out.join("\n");
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const report = analyse(await readModules(root));
  console.log(Deno.args.includes("--json") ? JSON.stringify(report, null, 2) : format(report));
  const bad = report.backArrows.length + report.cycles.length + report.unlayered.length;
  if (bad > 0) Deno.exit(1);
}
