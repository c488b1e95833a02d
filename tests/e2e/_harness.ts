/**
 * Helpers for end-to-end tests: run the kubelet the way a user does (the
 * compiled binary, or `deno run`), read `docker` and `/pods`, clean up.
 * Every wait is bounded. The node helpers and pods the benchmarks share are in
 * `tests/_fixtures/` and re-exported here.
 *
 * @module
 */
import {
  cleanup,
  docker,
  e2eNode,
  e2ePort,
  freshNode,
  type RunningKubelet,
  startKubelet,
  waitFor,
} from "../_fixtures/node.ts";

// The node helpers and pods live in tests/_fixtures/, which the benchmarks share; the end-to-end
// tests keep importing them from here.
export {
  BINARY,
  cleanup,
  docker,
  e2eNode,
  e2ePort,
  ENGINE_ENDPOINT,
  freshNode,
  getPod,
  getPods,
  nodeContainers,
  ROOT,
  run,
  type RunningKubelet,
  startKubelet,
  tempDir,
  waitFor,
} from "../_fixtures/node.ts";
export { busyboxPod, crashOncePod } from "../_fixtures/pods.ts";

/** True when the tests run against Podman (its `/version` lists a "Podman Engine" component). */
export async function onPodman(): Promise<boolean> {
  const ping = await docker("version", "--format", "{{range .Server.Components}}{{.Name}};{{end}}");
  return ping.includes("Podman Engine");
}

/** A fresh node with a kubelet running on its manifest directory. */
export async function startNode(node: string, port: number) {
  const dirs = await freshNode(node);
  const kubelet = await startKubelet({ node, port, manifests: dirs.manifests, rootDir: dirs.rootDir });
  return { ...dirs, kubelet };
}

/** What {@link withNode} hands its test: the node's directories and its running kubelet. */
export interface NodeRun {
  node: string;
  port: number;
  dir: string;
  manifests: string;
  rootDir: string;
  kubelet: RunningKubelet;
}

/**
 * Runs `fn` against a fresh node `e2eNode(name)` (`freshNode`) with a kubelet on its manifest
 * directory and read-only port `e2ePort(port)` (`startKubelet`; `opts` adds flags, environment, ...). Whatever `fn` does, the kubelet is then
 * stopped (SIGKILL) and the node cleaned up. When `fn` fails, the kubelet's log is printed and
 * `fn`'s error is the one thrown: a clean-up that also fails is logged, not thrown.
 */
export async function withNode<T>(
  name: string,
  port: number,
  fn: (run: NodeRun) => Promise<T>,
  opts: Omit<Parameters<typeof startKubelet>[0], "node" | "port" | "manifests" | "rootDir"> = {},
): Promise<T> {
  const node = e2eNode(name);
  port = e2ePort(port);
  const dirs = await freshNode(node);
  let kubelet: RunningKubelet;
  try {
    kubelet = await startKubelet({ ...opts, node, port, manifests: dirs.manifests, rootDir: dirs.rootDir });
  } catch (error) {
    // startKubelet has stopped the process; only the directories are left.
    await cleanup(node, dirs.dir).catch((e) => console.error(`clean-up of ${node} failed:`, e));
    throw error;
  }
  const stopAndClean = async () => {
    await kubelet.stop("SIGKILL");
    await cleanup(node, dirs.dir);
  };
  let result: T;
  try {
    result = await fn({ node, port, ...dirs, kubelet });
  } catch (error) {
    console.error(`--- kubelet log of ${node} ---\n${kubelet.logs()}--- end of ${node}'s log ---`);
    // fn's error is the one that matters: a failing clean-up after it is only logged.
    await stopAndClean().catch((e) =>
      console.error(`clean-up of ${node} failed (after the test failed):`, e)
    );
    throw error;
  }
  await stopAndClean();
  return result;
}

/** The kubelet's count of Engine relists (its PLEG), from /metrics. */
export async function relistCount(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^kubelet_pleg_relist_duration_seconds_count(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0);
}

/**
 * Resolves once the kubelet has relisted the Engine `n` more times (and so synced whatever
 * changed): proof that it has looked, before a test asserts that nothing happened.
 */
export async function relists(port: number, n = 2): Promise<void> {
  const start = await relistCount(port);
  await waitFor(`${n} more relists`, async () => await relistCount(port) >= start + n, { timeoutMs: 60_000 });
}

/** `docker inspect` of one container, parsed. */
// deno-lint-ignore no-explicit-any
export async function inspect(nameOrId: string): Promise<Record<string, any>> {
  return JSON.parse(await docker("inspect", nameOrId))[0];
}
