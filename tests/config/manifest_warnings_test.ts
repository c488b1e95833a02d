import { test } from "node:test";
import assert from "node:assert/strict";
import { ManifestWarnings } from "../../src/config/manifest_warnings.ts";
import { createLogger } from "../../src/log.ts";
import type { Snapshot } from "../../src/config/snapshot.ts";

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

test("ManifestWarnings logs a note at info level once, and quotes a file name that holds a line break", () => {
  const lines: string[] = [];
  const warnings = new ManifestWarnings(createLogger({ write: (l) => lines.push(l) }));
  const noted: Snapshot = {
    ...snapshot([]),
    notes: [{ origin: "/m/comments.yaml", message: "holds no document" }],
    warnings: [{ origin: "/m/a\nE1127 forged.yaml", message: "unknown field x" }],
  };
  warnings.report(noted);
  warnings.report(noted);
  // Severity, then the message as klog quotes it (one line whatever it holds).
  assert.ok(lines.every((l) => !l.includes("\n")));
  assert.deepEqual(lines.map((l) => `${l[0]} ${JSON.parse(l.slice(l.indexOf("] ") + 2))}`), [
    'W manifest "/m/a\\nE1127 forged.yaml": unknown field x',
    "I manifest /m/comments.yaml: holds no document",
  ]);
});
