import { test } from "node:test";
import assert from "node:assert/strict";
import type { Probe } from "../../src/api/types.ts";
import { type ProbeKind, type ProbeResult, ProbeWorker } from "../../src/prober/probe_worker.ts";

/** Runs a worker with 10 ms periods over a scripted sequence of action outcomes. */
async function drive(kind: ProbeKind, probe: Probe, outcomes: boolean[], mayRun = () => true) {
  const changes: ProbeResult[] = [];
  let calls = 0;
  const worker = new ProbeWorker({
    kind,
    probe: { periodSeconds: 0.01, ...probe },
    target: { containerId: "c1", container: { name: "main", image: "busybox" } },
    startedAt: Date.now(),
    deps: {} as never,
    mayRun,
    onResult: (r) => changes.push(r),
    run: () => Promise.resolve({ ok: outcomes[Math.min(calls++, outcomes.length - 1)], output: "" }),
  });
  for (let i = 0; i < 200 && calls < outcomes.length; i++) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 30));
  worker.stop();
  return { changes, calls, result: worker.result };
}

test("ProbeWorker starts from the kubelet's initial results", () => {
  for (
    const [kind, initial] of [["liveness", "success"], ["readiness", "failure"], [
      "startup",
      "unknown",
    ]] as const
  ) {
    const w = new ProbeWorker({
      kind,
      probe: { initialDelaySeconds: 60 },
      target: { containerId: "c", container: { name: "m", image: "i" } },
      startedAt: Date.now(),
      deps: {} as never,
      mayRun: () => true,
      onResult: () => {},
    });
    assert.equal(w.result, initial);
    w.stop();
  }
});

test("ProbeWorker fails liveness only after failureThreshold consecutive failures", async () => {
  const { changes } = await drive("liveness", { failureThreshold: 3 }, [
    false,
    false,
    true,
    false,
    false,
    false,
  ]);
  assert.deepEqual(changes, ["failure"]);
});

test("ProbeWorker holds a failed liveness probe: no more runs until the container is replaced", async () => {
  const { changes, calls } = await drive("liveness", { failureThreshold: 1 }, [false, true, true, true]);
  assert.deepEqual(changes, ["failure"]);
  assert.equal(calls, 1);
});

test("ProbeWorker flips readiness both ways, with successThreshold", async () => {
  const { changes, result } = await drive("readiness", { successThreshold: 2, failureThreshold: 1 }, [
    true,
    true,
    false,
    true,
    true,
  ]);
  assert.deepEqual(changes, ["success", "failure", "success"]);
  assert.equal(result, "success");
});

test("ProbeWorker stops running a startup probe once it succeeded", async () => {
  const { changes, calls } = await drive("startup", {}, [false, true, true, true, true]);
  assert.deepEqual(changes, ["success"]);
  assert.equal(calls, 2);
});

test("ProbeWorker does not run while mayRun is false (liveness waits for startup)", async () => {
  const { calls } = await drive("liveness", {}, [false], () => false);
  assert.equal(calls, 0);
});
