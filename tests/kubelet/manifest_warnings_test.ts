import { test } from "node:test";
import assert from "node:assert/strict";
import { ManifestWarnings } from "../../src/kubelet/manifest_warnings.ts";
import { createLogger } from "../../src/log.ts";
import type { Snapshot } from "../../src/source/snapshot.ts";

const snapshot = (messages: string[]): Snapshot => ({
  source: "file",
  pods: [],
  problems: [],
  failedOrigins: [],
  warnings: messages.map((message) => ({ origin: "/m/a.yaml", line: 1, message })),
});

test("ManifestWarnings logs a warning when it appears, not again while it repeats, and again after it went away", () => {
  const lines: string[] = [];
  const warnings = new ManifestWarnings(createLogger({ write: (l) => lines.push(l) }));
  warnings.report(snapshot(["unknown field x"]));
  warnings.report(snapshot(["unknown field x"]));
  warnings.report(snapshot([]));
  warnings.report(snapshot(["unknown field x", "ignored y"]));
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^W.* "manifest \/m\/a\.yaml:1: unknown field x"$/);
  assert.match(lines[2], /ignored y"$/);
});
