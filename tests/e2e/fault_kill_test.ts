/**
 * The fault test of issue 11: the kubelet is killed with SIGKILL at random
 * moments during 40 adds, edits and removals of manifests, and started again
 * each time. Afterwards every wanted pod runs exactly once, nothing of a
 * removed pod or an old version is left (containers, directories), and the
 * steady pods that were never touched kept their containers.
 *
 * The moments come from a seeded generator: `FAULT_SEED=<n>` replays a run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, rm, writeFile } from "node:fs/promises";
import process from "node:process";
import {
  busyboxPod,
  cleanup,
  docker,
  e2eNode,
  e2ePort,
  freshNode,
  getPods,
  type RunningKubelet,
  startKubelet,
  waitFor,
} from "./_harness.ts";

/** mulberry32: a small seeded generator, so that a failing run can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A pod that stops at once on SIGTERM; `version` makes each edit a new pod (a new uid). */
const podOf = (name: string, version: number) =>
  busyboxPod(name, `echo v${version}; trap 'exit 0' TERM; while true; do sleep 1; done`);

/** Running containers of this node: docker name -> id. */
async function runningContainers(node: string): Promise<Map<string, string>> {
  const out = await docker(
    "ps",
    "--no-trunc",
    "--filter",
    `label=io.kubernetes.standalone.node=${node}`,
    "--format",
    "{{.Names}} {{.ID}}",
  );
  return new Map(out ? out.split("\n").map((l) => l.split(" ") as [string, string]) : []);
}

test("SIGKILL at random moments during 40 adds, edits and removals leaves every pod exactly once and nothing of the removed", async () => {
  const seed = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
  const rand = random(seed);
  const node = e2eNode("fault");
  const port = e2ePort(18478);
  const { dir, manifests, rootDir } = await freshNode(node);
  let kubelet: RunningKubelet = await startKubelet({ node, port, manifests, rootDir });
  const restart = async () => {
    await kubelet.stop("SIGKILL");
    kubelet = await startKubelet({ node, port, manifests, rootDir });
  };
  try {
    // Two steady pods, never touched: their containers must survive every kill.
    for (const name of ["steady-a", "steady-b"]) await writeFile(`${manifests}/${name}.yaml`, podOf(name, 0));
    await waitFor(
      "the steady pods running",
      async () =>
        (await getPods(port)).items.filter((p) => p.status?.containerStatuses?.[0]?.state.running).length ===
          2,
      { timeoutMs: 60_000 },
    );
    const steadyBefore = [...(await runningContainers(node))].filter(([n]) => n.includes("_steady-")).sort();
    assert.equal(steadyBefore.length, 4, "an infra container and a container each");

    const wanted = new Map<string, number>(); // name -> version
    let kills = 0;
    for (let op = 0; op < 40; op++) {
      const name = `p${Math.floor(rand() * 6)}`;
      const path = `${manifests}/${name}.yaml`;
      const version = wanted.get(name);
      if (version === undefined) {
        wanted.set(name, 1);
        await writeFile(path, podOf(name, 1));
      } else if (rand() < 0.5) {
        wanted.set(name, version + 1);
        await writeFile(path, podOf(name, version + 1));
      } else {
        wanted.delete(name);
        await rm(path);
      }
      await new Promise((r) => setTimeout(r, rand() * 600));
      if (rand() < 0.2) {
        kills++;
        await restart();
      }
    }
    if (kills === 0) (kills++, await restart());

    const expected = [...wanted.keys(), "steady-a", "steady-b"].map((n) => `${n}-${node}`).sort();
    await waitFor("every wanted pod running once, the latest version, and nothing else", async () => {
      const pods = (await getPods(port)).items;
      const names = pods.map((p) => p.metadata.name!).sort();
      // Each check throws what it still misses, so that a timeout says where things stood.
      const want = (ok: boolean, what: string) => {
        if (!ok) throw new Error(what);
      };
      want(JSON.stringify(names) === JSON.stringify(expected), `/pods lists ${names.join(", ")}`);
      const idle = pods.filter((p) => !p.status?.containerStatuses?.[0]?.state.running);
      want(idle.length === 0, `not running: ${idle.map((p) => p.metadata.name).join(", ")}`);
      const uids = new Set(pods.map((p) => p.metadata.uid!));
      const containers = [...(await runningContainers(node)).keys()];
      // Exactly an infra container and a container per wanted pod, all of its current version.
      want(containers.length === 2 * expected.length, `running containers: ${containers.join(", ")}`);
      const all = await docker(
        "ps",
        "-a",
        "--filter",
        `label=io.kubernetes.standalone.node=${node}`,
        "--format",
        '{{.Label "io.kubernetes.pod.uid"}}',
      );
      const stale = all.split("\n").filter((uid) => !uids.has(uid));
      want(stale.length === 0, `containers of old or removed pods: ${stale.join(", ")}`);
      // And the directories of removed pods and old versions are gone.
      const dirs = (await readdir(`${rootDir}/pods`)).sort();
      want(JSON.stringify(dirs) === JSON.stringify([...uids].sort()), `pod directories: ${dirs.join(", ")}`);
      return true;
    }, { timeoutMs: 90_000, intervalMs: 1_000 });
    const steadyAfter = [...(await runningContainers(node))].filter(([n]) => n.includes("_steady-")).sort();
    assert.deepEqual(steadyAfter, steadyBefore, "the steady pods' containers were never replaced");
    const restarts = (await getPods(port)).items.filter((p) => p.metadata.name!.startsWith("steady-"))
      .map((p) => p.status?.containerStatuses?.[0]?.restartCount);
    assert.deepEqual(restarts, [0, 0]);
    console.log(`seed ${seed}: ${kills} kills, ${wanted.size} pods wanted at the end`);
  } catch (error) {
    throw new Error(`seed ${seed}: ${(error as Error).message}\n${kubelet.logs().slice(-4000)}`);
  } finally {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
  }
});
