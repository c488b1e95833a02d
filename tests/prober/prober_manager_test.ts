import { test } from "node:test";
import assert from "node:assert/strict";
import type { Container, Pod, Probe } from "../../src/api/types.ts";
import type { DockerClient } from "../../src/docker/client.ts";
import type { Logger } from "../../src/log.ts";
import { ProberManager } from "../../src/prober/prober_manager.ts";

const quiet: Logger = { info() {}, warn() {}, error() {}, v() {} };

/** An exec probe running `name`, once a second, deciding on the first result. */
const probe = (name: string): Probe => ({ exec: { command: [name] }, periodSeconds: 1, failureThreshold: 1 });

function pod(container: Container): Pod {
  return { metadata: { name: "web", namespace: "default", uid: "u1" }, spec: { containers: [container] } };
}

/**
 * A manager whose exec probes answer through `exitCode(command)`; `execs` lists the commands run,
 * `changes` resolves on each result change reported.
 */
function manager(exitCode: (command: string) => number | Promise<number>) {
  const execs: string[] = [];
  const events: string[] = [];
  const waiters: (() => void)[] = [];
  const docker = {
    exec: async (_id: string, cmd: string[]) => {
      execs.push(cmd[0]);
      return { exitCode: await exitCode(cmd[0]), output: `${cmd[0]} said so\n` };
    },
  } as unknown as DockerClient;
  const prober = new ProberManager(
    { docker, platform: { tcpConnect: () => Promise.reject(new Error("unused")), fetchInsecure: fetch } },
    quiet,
    () => waiters.splice(0).forEach((w) => w()),
    { event: (_ref, type, reason, message) => events.push(`${type} ${reason} ${message}`) },
  );
  const changed = () => new Promise<void>((resolve) => waiters.push(resolve));
  return { prober, execs, events, changed };
}

const target = (container: Container) => ({
  pod: pod(container),
  container,
  containerId: "c1",
  startedAt: 0,
});

test("before any probe has run, a container with a readiness probe is not ready, one with none is", (t) => {
  const { prober } = manager(() => new Promise(() => {}));
  t.after(() => prober.stop());
  prober.syncPod("web_default", [
    target({ name: "a", image: "x", readinessProbe: probe("ready") }),
    { ...target({ name: "b", image: "x" }), containerId: "c2" },
  ]);
  assert.equal(prober.ready("web_default", "c1"), false);
  assert.equal(prober.started("web_default", "c1"), true);
  assert.equal(prober.ready("web_default", "c2"), true);
});

test("a container with a startup probe has not started, and is not ready, until the probe succeeds", (t) => {
  const { prober } = manager(() => new Promise(() => {}));
  t.after(() => prober.stop());
  prober.syncPod("web_default", [target({ name: "a", image: "x", startupProbe: probe("startup") })]);
  assert.equal(prober.started("web_default", "c1"), false);
  assert.equal(prober.ready("web_default", "c1"), false);
});

test("a failed liveness probe marks the container for restart, with a Warning Unhealthy event", async (t) => {
  const { prober, events, changed } = manager(() => 1);
  t.after(() => prober.stop());
  const change = changed();
  prober.syncPod("web_default", [target({ name: "a", image: "x", livenessProbe: probe("alive") })]);
  await change;
  assert.deepEqual([...prober.unhealthy()], [["c1", "Container a failed liveness probe, will be restarted"]]);
  assert.deepEqual(events, ["Warning Unhealthy Liveness probe failed: alive said so"]);
});

test("readiness waits for the startup probe to succeed, then the container becomes ready", async (t) => {
  const { prober, execs, changed } = manager(() => 0);
  t.after(() => prober.stop());
  let change = changed();
  prober.syncPod("web_default", [
    target({ name: "a", image: "x", startupProbe: probe("startup"), readinessProbe: probe("ready") }),
  ]);
  await change; // startup: success
  assert.equal(prober.started("web_default", "c1"), true);
  assert.equal(prober.ready("web_default", "c1"), false);
  change = changed();
  await change; // readiness: success
  assert.equal(prober.ready("web_default", "c1"), true);
  assert.deepEqual(execs.slice(0, 2), ["startup", "ready"]);
});

test("syncPod stops the workers of containers that are gone, and forgets their results and failures", async (t) => {
  const { prober, changed } = manager((command) => command === "alive" ? 1 : new Promise(() => {}));
  t.after(() => prober.stop());
  const change = changed();
  prober.syncPod("web_default", [
    target({ name: "a", image: "x", livenessProbe: probe("alive"), readinessProbe: probe("ready") }),
  ]);
  await change;
  assert.equal(prober.unhealthy().size, 1);
  assert.equal(prober.ready("web_default", "c1"), false);
  prober.syncPod("web_default", []);
  assert.equal(prober.unhealthy().size, 0);
  // No readiness worker is left for the container: nothing holds it back any more.
  assert.equal(prober.ready("web_default", "c1"), true);
});
