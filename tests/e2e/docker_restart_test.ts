/**
 * A Docker daemon restart kills every container; when the Engine answers
 * again, the kubelet brings each pod back, counting the restart.
 *
 * This test stops this machine's dockerd (the process whose id
 * /var/run/docker.pid holds, by that id) and starts it again (through
 * scripts/setup.sh, which starts it the way the suite does), so it must not
 * run beside other users of the Engine: it runs only when
 * `E2E_DOCKERD_RESTART=1`, which scripts/test.sh sets for a last pass of its own.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import process from "node:process";
import {
  cleanup,
  crashOncePod,
  e2eNode,
  e2ePort,
  getPod,
  ROOT,
  run,
  startNode,
  waitFor,
} from "./_harness.ts";

/** The file the Engine writes its process id to (dockerd's default --pidfile). */
const DOCKERD_PID_FILE = "/var/run/docker.pid";

/** True while a process with id `pid` exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const skip = process.env.E2E_DOCKERD_RESTART === "1"
  ? false
  : "restarts the machine's dockerd: set E2E_DOCKERD_RESTART=1 (scripts/test.sh runs it last, on its own)";

test("after a dockerd restart every pod is brought back, with its restart counted", { skip }, async () => {
  const node = e2eNode("dockerd");
  const port = e2ePort(18371);
  const { dir, kubelet } = await startNode(node, port);
  try {
    await writeFile(`${dir}/manifests/survivor.yaml`, crashOncePod("survivor"));
    const before = await waitFor("running after one restart", async () => {
      const p = await getPod(port, `survivor-${node}`);
      const s = p?.status?.containerStatuses?.[0];
      return s?.restartCount === 1 && s.state.running && p;
    }, { timeoutMs: 20_000 });
    const firstId = before.status!.containerStatuses![0].containerID;

    // Only the daemon that serves this Engine, by its process id: never a process by name.
    const pid = Number((await readFile(DOCKERD_PID_FILE, "utf8")).trim());
    assert.ok(Number.isInteger(pid) && pid > 1, `${DOCKERD_PID_FILE} holds a process id`);
    process.kill(pid, "SIGTERM");
    await waitFor(`dockerd (pid ${pid}) gone`, () => !alive(pid), { timeoutMs: 30_000, intervalMs: 250 });
    await run("env", ["DOCKERD_OFFLINE=1", "bash", `${ROOT}/scripts/setup.sh`]);

    const after = await waitFor("the pod running again in new containers", async () => {
      const p = await getPod(port, `survivor-${node}`);
      const s = p?.status?.containerStatuses?.[0];
      return s?.state.running && s.containerID !== firstId && p;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    // The count goes on from where it was (1), whatever number of starts the daemon's
    // shutdown cost: it is kept on the containers' labels, not in memory.
    assert.ok(after.status!.containerStatuses![0].restartCount >= 2, JSON.stringify(after.status));
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text(), "ok");
    assert.match(kubelet.logs(), /event stream dropped|relist failed|sync failed/);
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});
