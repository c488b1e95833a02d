/**
 * `--runonce`: the pods of the manifest directory and the URL are started,
 * one line per pod tells how each ended up, the exit code says whether all
 * run, and nothing is served or watched. The pods keep running afterwards.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { mkdir, writeFile } from "node:fs/promises";
import { BINARY, busyboxPod, cleanup, e2eNode, e2ePort, nodeContainers, tempDir } from "./_harness.ts";

/** Runs the binary with `args`; resolves its exit code and output (bounded: killed after 120 s). */
function runBinary(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BINARY, args, { timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

test("--runonce starts the pods of the directory and the URL, prints one line per pod and exits 0 when all run", async () => {
  const node = e2eNode("runonce-ok");
  const port = e2ePort(18374);
  const dir = await tempDir(node);
  const manifests = `${dir}/manifests`;
  await cleanup(node);
  await mkdir(manifests);
  await writeFile(`${manifests}/a.yaml`, busyboxPod("from-dir", "sleep 1000"));
  const server = createServer((_req, res) =>
    res.writeHead(200, { connection: "close" }).end(busyboxPod("from-url", "sleep 1000"))
  );
  await new Promise<void>((resolve) => server.listen(e2ePort(18375), "127.0.0.1", resolve));
  try {
    const { code, stdout, stderr } = await runBinary([
      "--runonce",
      `--hostname-override=${node}`,
      `--root-dir=${dir}/root`,
      `--pod-manifest-path=${manifests}`,
      `--manifest-url=http://127.0.0.1:${e2ePort(18375)}/`,
      `--read-only-port=${port}`,
    ]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(stdout.trim().split("\n").sort(), [
      `pod "from-dir-${node}_default": Running`,
      `pod "from-url-${node}_default": Running`,
    ]);
    // Nothing was served, and the pods outlive the kubelet.
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
    const names = await nodeContainers(node);
    assert.equal(names.length, 4, `${names}`);

    // Run once more without the URL: its pod is not this run's business, and is left running.
    const again = await runBinary([
      "--runonce",
      `--hostname-override=${node}`,
      `--root-dir=${dir}/root`,
      `--pod-manifest-path=${manifests}`,
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), `pod "from-dir-${node}_default": Running`);
    assert.deepEqual(await nodeContainers(node), names);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await cleanup(node, dir);
  }
});

test("--runonce exits 1 and says why when a pod cannot run", async () => {
  const node = e2eNode("runonce-fail");
  const dir = await tempDir(node);
  const manifests = `${dir}/manifests`;
  await cleanup(node);
  await mkdir(manifests);
  await writeFile(`${manifests}/good.yaml`, busyboxPod("good", "sleep 1000"));
  await writeFile(
    `${manifests}/bad.yaml`,
    busyboxPod("bad", "sleep 1000").replace("image: busybox", "image: i4-no-such-image:1"),
  );
  try {
    const { code, stdout, stderr } = await runBinary([
      "--runonce",
      `--hostname-override=${node}`,
      `--root-dir=${dir}/root`,
      `--pod-manifest-path=${manifests}`,
    ]);
    assert.equal(code, 1, stderr);
    const lines = stdout.trim().split("\n").sort();
    assert.equal(lines.length, 2);
    assert.equal(
      lines[0],
      `pod "bad-${node}_default": Failed: container main: ErrImageNeverPull: Container image "i4-no-such-image:1" is not present with pull policy of Never`,
    );
    assert.equal(lines[1], `pod "good-${node}_default": Running`);
  } finally {
    await cleanup(node, dir);
  }
});
