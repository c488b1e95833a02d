/**
 * Hostile manifests dropped into the manifest directory of a running kubelet
 * (issues 10 and 11): each is refused with one log line naming its file, while
 * a steady crash-looping pod keeps restarting, `/healthz` keeps answering, a
 * good pod added afterwards still starts and the kubelet's memory stays small.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { busyboxPod, getPod, waitFor, withNode } from "./_harness.ts";
import {
  aliasBomb,
  deepBlock,
  deepFlow,
  deepJson,
  manyAnnotations,
  mergeBomb,
} from "../manifest/_hostile.ts";

const MiB = 1 << 20;

/** A busybox pod named `name` with `container` lines added to its container. */
const podWith = (name: string, container: string, spec = "") =>
  busyboxPod(name, "sleep 1000", spec).replace("    command:", `${container}\n    command:`);

/** [file name, its text, what its log line must say]. */
const BAD: [string, string, RegExp][] = [
  ["merge-bomb.yaml", mergeBomb(24), /aliases copy more than 10000 nodes/],
  ["alias-bomb.yaml", aliasBomb(), /aliases copy more than 10000 nodes/],
  ["deep-flow.yaml", deepFlow(20_000), /nested more than 100 levels deep/],
  ["deep-block.yaml", deepBlock(1_000), /nested more than 100 levels deep/],
  ["deep.json", deepJson(20_000), /nested more than 100 levels deep/],
  ["huge.yaml", busyboxPod("huge", "sleep 1") + `# ${"x".repeat(3 * MiB)}\n`, /larger than 1048576 bytes/],
  ["many-nodes.yaml", manyAnnotations(MiB - 100), /more than 20000 tokens/],
  [
    "dup-keys.json",
    '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "name": "b"}, "spec": {}}',
    /duplicate key "name"/,
  ],
  [
    "probe-timeout.yaml",
    podWith("timeout", "    livenessProbe: {exec: {command: [true]}, timeoutSeconds: 10000000000000}"),
    /livenessProbe\.timeoutSeconds: Invalid value: 10000000000000/,
  ],
  [
    "grace.yaml",
    busyboxPod("grace", "sleep 1").replace(
      "terminationGracePeriodSeconds: 2",
      "terminationGracePeriodSeconds: -1",
    ),
    /terminationGracePeriodSeconds: Invalid value: -1/,
  ],
  [
    "port.yaml",
    podWith("port", "    ports: [{containerPort: 70000}]"),
    /containerPort: Invalid value: 70000/,
  ],
  [
    "memory.yaml",
    podWith("memory", '    resources: {limits: {memory: "1e400"}}'),
    /limits\[memory\]: Invalid value: "1e400"/,
  ],
  [
    "read-only-string.yaml",
    podWith(
      "ro",
      '    volumeMounts: [{name: v, mountPath: /v, readOnly: "true"}]',
      "  volumes: [{name: v, emptyDir: {}}]\n",
    ),
    /readOnly: Invalid value: "true": must be a boolean/,
  ],
  [
    "size-limit.yaml",
    podWith("size", "", "  volumes: [{name: v, emptyDir: {sizeLimit: big}}]\n"),
    /sizeLimit: Invalid value: "big"/,
  ],
  [
    "image.yaml",
    busyboxPod("image", "sleep 1").replace("image: busybox", "image: UPPER:case!!"),
    /InvalidImageName/,
  ],
  [
    "host-users.yaml",
    busyboxPod("users", "sleep 1", "  hostUsers: false\n"),
    /spec\.hostUsers: Forbidden/,
  ],
  [
    "sub-path-expr.yaml",
    podWith(
      "expr",
      "    volumeMounts: [{name: v, mountPath: /v, subPathExpr: $(HOSTNAME)}]",
      "  volumes: [{name: v, emptyDir: {}}]\n",
    ),
    /subPathExpr: Forbidden/,
  ],
  // Long values that validation or the field hints once took minutes (or hours) over.
  [
    "memory-digits.yaml",
    podWith("digits", `    resources: {limits: {memory: ${"1".repeat(500_000)}x}}`),
    /limits\[memory\]: Invalid value: "1{76}\.\.\./,
  ],
  [
    "long-field.json",
    JSON.stringify({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "long" },
      spec: { ["x".repeat(500_000)]: 1 },
    }),
    /spec\.containers: Required value/,
  ],
  [
    "long-image.yaml",
    busyboxPod("long-image", "sleep 1").replace("image: busybox", `image: ${"a/".repeat(250_000)}b`),
    /InvalidImageName/,
  ],
  ["comments.yaml", "# a pod will go here\n", /holds no document/],
  ["forged\nE1130 00:00:00.000000 line.yaml", "kind: [", /invalid YAML/],
];

/** The kubelet's resident memory in MiB, from /proc. */
async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const restarts = async (port: number, name: string) =>
  (await getPod(port, name))?.status?.containerStatuses?.[0]?.restartCount ?? 0;

test("hostile manifests each cost only themselves: named in the log, the kubelet keeps serving and running pods", () =>
  withNode("bad-input", 18391, async ({ node, port, manifests, kubelet }) => {
    let probing = true;
    const slowHealthz: string[] = [];
    let maxRss = 0;
    // Beside everything: /healthz must answer within 2 s, every 250 ms; the RSS is sampled meanwhile.
    const prober = (async () => {
      while (probing) {
        const started = Date.now();
        try {
          const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
          await res.body?.cancel();
          if (!res.ok) slowHealthz.push(`status ${res.status}`);
        } catch (error) {
          slowHealthz.push(`${new Date(started).toISOString()}: ${(error as Error).message}`);
        }
        maxRss = Math.max(maxRss, await rssMiB(kubelet.proc.pid!).catch(() => 0));
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    try {
      await writeFile(`${manifests}/steady.yaml`, busyboxPod("steady", "sleep 1; exit 1"));
      const steady = `steady-${node}`;
      await waitFor("the steady pod restarting", async () => (await restarts(port, steady)) >= 1, {
        timeoutMs: 30_000,
      });
      const restartsBefore = await restarts(port, steady);

      let clear = 0;
      for (const [name, text, expected] of BAD) {
        await writeFile(`${manifests}/${name}`, text);
        // A name with a line break is JSON-quoted in the log.
        const path = `${manifests}/${name}`;
        const shown = `manifest ${name.includes("\n") ? JSON.stringify(path) : path}`;
        await waitFor(
          `a log line naming ${JSON.stringify(name)}`,
          () => kubelet.messages().split("\n").find((l) => l.includes(shown) && expected.test(l)),
          { timeoutMs: 10_000 },
        );
        clear++;
      }
      // A file name with a line break never starts a line of its own.
      assert.ok(!kubelet.logs().split("\n").some((l) => l.startsWith("E1130 00:00:00.000000 line.yaml")));

      await writeFile(`${manifests}/zz-good.yaml`, busyboxPod("good", "sleep 1000"));
      await waitFor(
        "the good pod added after the bad files running",
        async () => (await getPod(port, `good-${node}`))?.status?.phase === "Running",
        { timeoutMs: 30_000 },
      );
      await waitFor(
        "the steady pod still restarting",
        async () => (await restarts(port, steady)) > restartsBefore,
        { timeoutMs: 30_000 },
      );

      probing = false;
      await prober;
      const rss = await rssMiB(kubelet.proc.pid!);
      console.log(
        `bad inputs: ${BAD.length} tried, ${clear} named with a clear error; RSS after: ${
          rss.toFixed(1)
        } MiB, max ${maxRss.toFixed(1)} MiB`,
      );
      assert.deepEqual(slowHealthz, [], "every /healthz answered within 2 s");
      assert.ok(maxRss < 200, `RSS stayed under 200 MiB (max ${maxRss.toFixed(1)} MiB)`);
      assert.equal(kubelet.proc.exitCode, null, "the kubelet is still running");
    } finally {
      probing = false;
      await prober;
    }
  }));
