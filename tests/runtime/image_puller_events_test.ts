import { test } from "node:test";
import assert from "node:assert/strict";
import type { DockerClient } from "../../src/docker/client.ts";
import { createLogger } from "../../src/log.ts";
import { ImagePuller } from "../../src/runtime/image_puller.ts";

const log = createLogger({ write: () => {} });

function puller(present: boolean, pull: () => Promise<void> = () => Promise.resolve()) {
  let now = 0;
  const docker = {
    engine: { kind: "docker", version: "" },
    inspectImage: () => Promise.resolve(present ? {} : null),
    pullImage: () => (now += 1200, pull()),
  } as unknown as DockerClient;
  const events: string[] = [];
  const p = new ImagePuller(docker, log, () => now);
  return {
    p,
    events,
    record: (type: string, reason: string, message: string) => events.push(`${type} ${reason}: ${message}`),
  };
}

test("a present image records Pulled, already present on machine", async () => {
  const { p, events, record } = puller(true);
  assert.equal(
    await p.ensure({ name: "c", image: "busybox", imagePullPolicy: "IfNotPresent" }, "web", record),
    undefined,
  );
  assert.deepEqual(events, ['Normal Pulled: Container image "busybox" already present on machine']);
});

test("a pull records Pulling, then Pulled with its duration", async () => {
  const { p, events, record } = puller(false);
  await p.ensure({ name: "c", image: "app:1", imagePullPolicy: "Always" }, "web", record);
  assert.deepEqual(events, [
    'Normal Pulling: Pulling image "app:1"',
    'Normal Pulled: Successfully pulled image "app:1" in 1200ms',
  ]);
});

test("a failed pull records Failed twice, as the kubelet does, then BackOff while backing off", async () => {
  const { p, events, record } = puller(false, () => Promise.reject(new Error("manifest unknown")));
  const first = await p.ensure({ name: "c", image: "app:1", imagePullPolicy: "Always" }, "web", record);
  assert.equal(first?.reason, "ErrImagePull");
  assert.deepEqual(events.slice(1), [
    'Warning Failed: Failed to pull image "app:1": manifest unknown',
    "Warning Failed: Error: ErrImagePull",
  ]);
  const second = await p.ensure({ name: "c", image: "app:1", imagePullPolicy: "Always" }, "web", record);
  assert.equal(second?.reason, "ImagePullBackOff");
  assert.equal(events.at(-1), 'Normal BackOff: Back-off pulling image "app:1"');
});

test("pull policy Never with the image missing records ErrImageNeverPull", async () => {
  const { p, events, record } = puller(false);
  await p.ensure({ name: "c", image: "app:1", imagePullPolicy: "Never" }, "web", record);
  assert.deepEqual(events, [
    'Warning ErrImageNeverPull: Container image "app:1" is not present with pull policy of Never',
  ]);
});
