import { test } from "node:test";
import assert from "node:assert/strict";
import {
  BACKOFF_RESET_MS,
  INITIAL_BACKOFF_SECONDS,
  MAX_BACKOFF_SECONDS,
  nextBackoffSeconds,
  remainingBackoffMs,
} from "../../src/runtime/backoff.ts";
import type { ObservedContainer } from "../../src/runtime/observed.ts";

const T0 = Date.parse("2024-05-06T07:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

/** A container that started at T0+1s and exited at second `finished` with backoff step `backoffSeconds`. */
function dead(
  backoffSeconds: number,
  finished: number | undefined,
  over: Partial<ObservedContainer> = {},
): ObservedContainer {
  return {
    id: "c1",
    name: "app",
    kind: "app",
    podName: "web",
    podNamespace: "default",
    podUid: "uid-1",
    sandboxId: "s1",
    state: "exited",
    createdAt: at(0),
    startedAt: at(1),
    finishedAt: finished === undefined ? undefined : at(finished),
    exitCode: 1,
    hash: "00000000",
    restartCount: 1,
    backoffSeconds,
    attempt: 0,
    image: "busybox",
    imageID: "sha256:busybox",
    gracePeriodSeconds: 30,
    ...over,
  };
}

test("backoff constants are the kubelet's: 10 s first, 300 s cap, reset after 10 minutes", () => {
  assert.equal(INITIAL_BACKOFF_SECONDS, 10);
  assert.equal(MAX_BACKOFF_SECONDS, 300);
  assert.equal(BACKOFF_RESET_MS, 600_000);
});

const nextCases: [current: number, next: number][] = [
  [0, 10],
  [10, 20],
  [20, 40],
  [40, 80],
  [80, 160],
  [160, 300],
  [300, 300],
];

for (const [current, next] of nextCases) {
  test(`nextBackoffSeconds after a ${current} s backoff is ${next} s`, () => {
    assert.equal(nextBackoffSeconds(dead(current, 30), T0 + 31_000), next);
  });
}

test("nextBackoffSeconds starts afresh at 10 s after a container ran for 10 minutes", () => {
  assert.equal(nextBackoffSeconds(dead(300, 601), T0 + 700_000), 10);
});

const remainingCases: { name: string; c: ObservedContainer; nowS: number; ms: number }[] = [
  { name: "no wait on the first crash (step 0)", c: dead(0, 30), nowS: 30, ms: 0 },
  { name: "the whole step right at the exit", c: dead(10, 30), nowS: 30, ms: 10_000 },
  { name: "what is left of the step, counted from finishedAt", c: dead(20, 30), nowS: 45, ms: 5_000 },
  { name: "nothing once the step is over", c: dead(20, 30), nowS: 50, ms: 0 },
  { name: "nothing long after the step", c: dead(300, 30), nowS: 3600, ms: 0 },
  { name: "nothing for a container that ran 10 minutes", c: dead(300, 601), nowS: 602, ms: 0 },
  { name: "the step for one that ran just under 10 minutes", c: dead(300, 600), nowS: 600, ms: 300_000 },
  {
    name: "from createdAt for a container that never ran",
    c: dead(10, undefined, { state: "created", startedAt: undefined, createdAt: at(100) }),
    nowS: 104,
    ms: 6_000,
  },
];

for (const { name, c, nowS, ms } of remainingCases) {
  test(`remainingBackoffMs: ${name}`, () => {
    assert.equal(remainingBackoffMs(c, T0 + nowS * 1000), ms);
  });
}
