import { test } from "node:test";
import assert from "node:assert/strict";
import { analyse, importSpecifiers, type Module } from "../../scripts/import_graph.ts";

const LAYERS = [["log.ts"], ["docker"], ["runtime"], ["kubelet"]];

function mod(path: string, ...imports: string[]): Module {
  return { path, lines: 10, imports };
}

test("importSpecifiers finds static, type, re-export, side-effect and dynamic relative imports", () => {
  const source = [
    `import { a } from "./a.ts";`,
    `import type {`,
    `  B,`,
    `} from "../b.ts";`,
    `export { c } from "./c.ts";`,
    `import "./d.ts";`,
    `const e = await import("./e.ts");`,
    `import { parse } from "yaml";`,
    `const message = "copied from "./not_an_import.ts"";`,
  ].join("\n");
  assert.deepEqual(importSpecifiers(source).sort(), ["../b.ts", "./a.ts", "./c.ts", "./d.ts", "./e.ts"]);
});

test("analyse names an import from a lower layer up to a higher one, and none downward or sideways", () => {
  const report = analyse([
    mod("src/log.ts"),
    mod("src/docker/client.ts", "src/log.ts", "src/docker/types.ts", "src/runtime/labels.ts"),
    mod("src/docker/types.ts"),
    mod("src/runtime/labels.ts", "src/docker/types.ts"),
    mod("src/kubelet/kubelet.ts", "src/runtime/labels.ts"),
  ], LAYERS);
  assert.deepEqual(report.backArrows, [{
    from: "src/docker/client.ts",
    to: "src/runtime/labels.ts",
    fromUnit: "docker",
    toUnit: "runtime",
  }]);
  assert.deepEqual(report.cycles, []);
  assert.deepEqual(report.unlayered, []);
});

test("analyse finds a file cycle with every file of it, and a shortest cycle through the first", () => {
  const report = analyse([
    mod("src/runtime/a.ts", "src/runtime/b.ts"),
    mod("src/runtime/b.ts", "src/runtime/c.ts", "src/runtime/a.ts"),
    mod("src/runtime/c.ts", "src/runtime/a.ts"),
    mod("src/runtime/d.ts", "src/runtime/a.ts"),
  ], LAYERS);
  assert.deepEqual(report.cycles, [{
    files: ["src/runtime/a.ts", "src/runtime/b.ts", "src/runtime/c.ts"],
    cycle: ["src/runtime/a.ts", "src/runtime/b.ts", "src/runtime/a.ts"],
  }]);
});

test("analyse counts lines per folder, the files directly in src/ as one row, and names unlayered folders", () => {
  const report = analyse([
    mod("src/log.ts"),
    mod("src/docker/a.ts"),
    mod("src/docker/b.ts"),
    mod("src/new/x.ts"),
  ], LAYERS);
  assert.deepEqual(report.folders, [
    { folder: "src/*.ts", files: 1, lines: 10 },
    { folder: "src/docker", files: 2, lines: 20 },
    { folder: "src/new", files: 1, lines: 10 },
  ]);
  assert.deepEqual(report.unlayered, ["new"]);
});
