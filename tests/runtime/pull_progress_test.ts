import { test } from "node:test";
import assert from "node:assert/strict";
import { PullProgressReporter } from "../../src/runtime/pull_progress.ts";
import { ImagePuller } from "../../src/runtime/image_puller.ts";
import type { DockerClient } from "../../src/docker/client.ts";
import type { PullProgress } from "../../src/docker/types.ts";
import { createLogger } from "../../src/log.ts";
import { klogMessage } from "../_klog.ts";

/** The messages of pulling `layers` layers of `size` bytes in chunks of 1000 bytes. */
function pullMessages(layers: number, size: number): PullProgress[] {
  const out: PullProgress[] = [{ id: "1.0", status: "Pulling from library/app" }];
  for (let l = 0; l < layers; l++) out.push({ id: `layer${l}`, status: "Pulling fs layer" });
  for (let l = 0; l < layers; l++) {
    for (let at = 1000; at <= size; at += 1000) {
      out.push({ id: `layer${l}`, status: "Downloading", progressDetail: { current: at, total: size } });
    }
    out.push({ id: `layer${l}`, status: "Download complete" }, { id: `layer${l}`, status: "Pull complete" });
  }
  return out;
}

test("pull progress reports layers done and bytes downloaded at most every 2 s, not per chunk", () => {
  let now = 0;
  const lines: string[] = [];
  const reporter = new PullProgressReporter((l) => lines.push(l), () => now);
  const messages = pullMessages(3, 2 * 1048576);
  for (const m of messages) {
    now += 10; // one message every 10 ms: ~63 s of pulling
    reporter.update(m);
  }
  assert.ok(messages.length > 6000);
  assert.ok(lines.length <= Math.ceil(now / 2000), `${lines.length} lines`);
  assert.ok(lines.length >= 20);
  assert.match(lines[0], /^0\/3 layers done, \d+\.\d of \d+\.\d MiB downloaded$/);
  assert.equal(reporter.line(), "3/3 layers done, 6.0 of 6.0 MiB downloaded");
});

test("layers that already exist count as done", () => {
  const reporter = new PullProgressReporter(() => {}, () => 0);
  reporter.update({ id: "a", status: "Already exists" });
  reporter.update({ id: "b", status: "Pulling fs layer" });
  assert.equal(reporter.line(), "1/2 layers done, 0.0 of 0.0 MiB downloaded");
});

test("an image pull logs a start, throttled progress and a summary line", async () => {
  let now = 0;
  const logged: string[] = [];
  const log = createLogger({ write: (l) => logged.push(l), now: () => new Date(now) });
  // The test machine reaches no registry: an Engine that streams a real pull's messages stands in.
  const docker = {
    engine: { kind: "docker", version: "" },
    inspectImage: () => Promise.resolve(null),
    pullImage: (_ref: string, onProgress: (p: PullProgress) => void) => {
      for (const m of pullMessages(2, 500_000)) {
        now += 5;
        onProgress(m);
      }
      return Promise.resolve();
    },
  } as unknown as DockerClient;
  const puller = new ImagePuller(docker, log, () => now);
  assert.equal(await puller.ensure({ name: "c", image: "app:1.0" }, "web"), undefined);
  const pullLines = logged.map(klogMessage).filter((l) => l.includes("app:1.0"));
  assert.match(pullLines[0], /pod web: pulling image app:1\.0$/);
  assert.match(
    pullLines.at(-1)!,
    /pulled image app:1\.0 in 5\.0s \(2\/2 layers done, 1\.0 of 1\.0 MiB downloaded\)/,
  );
  assert.ok(pullLines.length <= 2 + 3, pullLines.join("\n"));
});
