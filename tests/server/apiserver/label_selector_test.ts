import { test } from "node:test";
import assert from "node:assert/strict";
import {
  matchesLabels,
  parseLabelSelector,
  SelectorError,
} from "../../../src/server/apiserver/label_selector.ts";

const labels = { app: "web", tier: "front", "app.kubernetes.io/name": "nginx", n: "5" };

for (
  const [selector, expected] of [
    ["", true],
    ["app=web", true],
    ["app==web", true],
    ["app=db", false],
    ["app!=db", true],
    ["app!=web", false],
    ["missing!=x", true],
    ["app in (web, db)", true],
    ["app in (db)", false],
    ["app notin (db,cache)", true],
    ["app notin (web)", false],
    ["missing notin (web)", true],
    ["tier", true],
    ["missing", false],
    ["!missing", true],
    ["!tier", false],
    ["app=web,tier=front", true],
    ["app=web,tier=back", false],
    ["app.kubernetes.io/name=nginx", true],
    ["n>4", true],
    ["n<4", false],
    ["app in (web),!missing,tier", true],
  ] as const
) {
  test(`matchesLabels: ${JSON.stringify(selector)} is ${expected} for the pod's labels`, () => {
    assert.equal(matchesLabels(parseLabelSelector(selector), labels), expected);
  });
}

test("matchesLabels treats a pod without labels as having none", () => {
  assert.equal(matchesLabels(parseLabelSelector("app"), undefined), false);
  assert.equal(matchesLabels(parseLabelSelector("!app"), undefined), true);
});

for (const bad of ["app=we b", "=web", "app in ()", "app in (a", "n>x", "a b c"]) {
  test(`parseLabelSelector refuses ${JSON.stringify(bad)}`, () => {
    assert.throws(() => parseLabelSelector(bad), SelectorError);
  });
}
