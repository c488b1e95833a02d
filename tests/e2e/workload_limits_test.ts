/**
 * Workload-controlled sizes and times end to end (issue 11, findings 4 and 7):
 * an httpGet probe against an endless body, a crash-looping container whose
 * termination-message file is 256 MiB, and a `kubelet logs -f` on a quiet
 * container, each beside a steady crash-looping pod while `/healthz` keeps
 * answering and the kubelet's memory stays low.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { BINARY, docker, getPod, waitFor, withNode } from "./_harness.ts";
import { CRASH_LOOP_POD, steadyRestarts, watchBeside } from "./_beside.ts";

/** A pod serving an endless HTTP body on 8080, probed there every second; each probe adds a line to /tmp/probes. */
const ENDLESS_BODY_POD = `apiVersion: v1
kind: Pod
metadata:
  name: endless
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: busybox
    imagePullPolicy: Never
    command: ["sh", "-c", "printf 'echo probe >> /tmp/probes; printf \\"HTTP/1.1 200 OK\\\\r\\\\n\\\\r\\\\n\\"; exec yes' > /s.sh; chmod +x /s.sh; exec nc -ll -p 8080 -e /s.sh"]
    livenessProbe:
      httpGet: {port: 8080, path: /}
      periodSeconds: 1
      timeoutSeconds: 3
      failureThreshold: 3
`;

/** A container that leaves a 256 MiB (sparse) termination message ending in a marker, and exits 1. */
const BIG_MESSAGE_POD = `apiVersion: v1
kind: Pod
metadata:
  name: bigmsg
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: ["sh", "-c", "truncate -s 256M /dev/termination-log; echo the-end >> /dev/termination-log; exit 1"]
`;

test("an endless probe body and a 256 MiB termination message cost the kubelet nothing beside a crash-looping pod", () =>
  withNode("wlsizes", 18471, async ({ node, port, manifests, kubelet }) => {
    const beside = watchBeside(port, kubelet.proc.pid!);
    try {
      await writeFile(`${manifests}/steady.yaml`, CRASH_LOOP_POD);
      await writeFile(`${manifests}/endless.yaml`, ENDLESS_BODY_POD);
      await writeFile(`${manifests}/bigmsg.yaml`, BIG_MESSAGE_POD);
      const started = await waitFor(
        "the steady pod restarting",
        async () => (await steadyRestarts(port, node)) >= 1,
      );
      assert.ok(started);
      // The big message is read back, its last 4 KiB only: the marker is there.
      await waitFor("the termination message's end in the status", async () => {
        const s = (await getPod(port, `bigmsg-${node}`))?.status?.containerStatuses?.[0];
        const message = s?.lastState?.terminated?.message ?? s?.state?.terminated?.message;
        return message?.endsWith("the-end\n") && new TextEncoder().encode(message).length === 4096;
      });
      // The endless body is probed (and succeeds) for a while: 8 probes, counted by the server; the
      // probe never fails, so no restart.
      await waitFor("8 probes of the endless body", async () => {
        const id = (await getPod(port, `endless-${node}`))?.status?.containerStatuses?.[0]?.containerID;
        const probes = id ? await docker("exec", id.replace("docker://", ""), "cat", "/tmp/probes") : "";
        return probes.split("\n").length >= 8;
      });
      const web = (await getPod(port, `endless-${node}`))?.status?.containerStatuses?.[0];
      assert.ok(web?.state.running, JSON.stringify(web));
      assert.equal(web.restartCount, 0);
      // The steady pod keeps restarting on schedule meanwhile (at once, then after 10 s of backoff).
      await waitFor("the steady pod's second restart", async () => (await steadyRestarts(port, node)) >= 2);
    } finally {
      const seen = await beside.stop();
      console.log(
        `max kubelet RSS ${seen.maxRssMiB.toFixed(0)} MiB over ${seen.healthzChecks} /healthz checks`,
      );
      assert.deepEqual(seen.healthzFailures, [], "/healthz answered within 2 s each time");
      assert.ok(seen.healthzChecks > 10);
      assert.ok(seen.maxRssMiB < 200, `kubelet RSS reached ${seen.maxRssMiB.toFixed(0)} MiB`);
    }
  }));

test("kubelet logs -f on a quiet container lives past the server's idle limit and shows a line written later", () =>
  withNode("wlfollow", 18472, async ({ node, port, manifests }) => {
    await writeFile(`${manifests}/steady.yaml`, CRASH_LOOP_POD);
    // Says hello, stays quiet for 25 s, then says one more line.
    await writeFile(
      `${manifests}/quiet.yaml`,
      CRASH_LOOP_POD.replace("steady-crash", "quiet").replace(
        "echo crashing; exit 1",
        "echo hello; sleep 25; echo later; sleep 1000",
      ),
    );
    await waitFor(
      "the quiet pod running",
      async () => (await getPod(port, `quiet-${node}`))?.status?.containerStatuses?.[0]?.state.running,
    );
    const child = spawn(BINARY, ["logs", "quiet", "-f", "--server", `http://127.0.0.1:${port}`], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await waitFor("hello", () => out.includes("hello\n"), { timeoutMs: 10_000 });
      await waitFor("the line written after 25 quiet seconds", () => out.includes("later\n"), {
        timeoutMs: 40_000,
      });
      assert.equal(child.exitCode, null, `still following: ${out}`);
    } finally {
      child.kill("SIGINT");
      await exited;
    }
  }));
