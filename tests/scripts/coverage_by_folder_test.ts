import { test } from "node:test";
import assert from "node:assert/strict";
import { countByFolder, folderOf } from "../../scripts/coverage_by_folder.ts";

test("folderOf names the first folder under src/, or src for a file directly in it", () => {
  assert.equal(folderOf("/work/repo/src/runtime/plan.ts"), "src/runtime");
  assert.equal(folderOf("/work/repo/src/server/apiserver/table.ts"), "src/server");
  assert.equal(folderOf("/work/repo/src/cli.ts"), "src");
  assert.equal(folderOf("src/manifest/validate.ts"), "src/manifest");
  assert.equal(folderOf("/work/repo/tests/runtime/plan_test.ts"), undefined);
});

test("countByFolder sums an lcov report's LF and LH per folder, leaving out files outside src/", () => {
  const lcov = [
    "SF:/r/src/runtime/plan.ts",
    "DA:1,1",
    "LH:30",
    "LF:40",
    "end_of_record",
    "SF:/r/src/runtime/backoff.ts",
    "LF:10",
    "LH:10",
    "end_of_record",
    "SF:/r/tests/runtime/plan_test.ts",
    "LF:100",
    "LH:100",
    "end_of_record",
    "SF:/r/src/cli.ts",
    "LF:5",
    "LH:0",
    "end_of_record",
  ].join("\n");
  assert.deepEqual(
    [...countByFolder(lcov)],
    [["src/runtime", { found: 50, hit: 40 }], ["src", { found: 5, hit: 0 }]],
  );
});
