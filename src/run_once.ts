/**
 * `--runonce`: read the sources once, start their pods, wait until each runs
 * or has failed, print one line per pod and exit: 0 when all run. No status
 * server, no watching; the pods keep running afterwards (the kubelet's
 * runonce.go).
 *
 * @module
 */
import type { Pod } from "./api/types.ts";
import type { DockerClient } from "./docker/client.ts";
import type { KubeletFlags } from "./flags/flags.ts";
import { Kubelet } from "./kubelet/kubelet.ts";
import { ManifestWarnings } from "./config/manifest_warnings.ts";
import type { Logger } from "./log.ts";
import { podFullName } from "./manifest/static_pod.ts";
import type { Platform } from "./platform/types.ts";
import { kubeletConfig } from "./flags/kubelet_config.ts";
import { readFileSource } from "./config/file_source.ts";
import { readHttpSource } from "./config/http_source.ts";
import type { Snapshot } from "./config/snapshot.ts";

/** How long run-once waits for its pods at most (ms). */
export const RUN_ONCE_TIMEOUT_MS = 5 * 60_000;

/** Waiting reasons that mean a container will not run without someone changing something. */
const FAILURE_REASONS = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "ErrImageNeverPull",
  "InvalidImageName",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
  "CrashLoopBackOff",
]);

/** Where a pod stands for run-once. */
export type RunOnceOutcome =
  | { done: false }
  | { done: true; ok: boolean; summary: string };

/**
 * Whether `pod` (with status) runs, has failed, or is still on its way.
 * Running: every container runs. Failed: the pod failed, or a container
 * waits for a reason that will not pass by itself (a pull that failed, a
 * configuration the runtime refused, a crash loop), or the pod cannot be set
 * up (its volumes). A pod whose containers all completed successfully counts
 * as done and fine.
 */
export function runOnceOutcome(pod: Pod): RunOnceOutcome {
  const status = pod.status;
  const statuses = status?.containerStatuses ?? [];
  if (status?.phase === "Succeeded") return { done: true, ok: true, summary: "Succeeded" };
  if (status?.phase === "Failed") {
    return {
      done: true,
      ok: false,
      summary: `Failed${status.reason ? `: ${status.reason}` : ""}${
        status.message ? `: ${status.message}` : ""
      }`,
    };
  }
  for (const s of [...(status?.initContainerStatuses ?? []), ...statuses]) {
    const waiting = s.state.waiting;
    const stuck = waiting &&
      (FAILURE_REASONS.has(waiting.reason ?? "") ||
        (waiting.reason === "ContainerCreating" && waiting.message));
    if (stuck) {
      return {
        done: true,
        ok: false,
        summary: `Failed: container ${s.name}: ${waiting.reason}${
          waiting.message ? `: ${waiting.message}` : ""
        }`,
      };
    }
  }
  if (statuses.length === pod.spec.containers.length && statuses.every((s) => s.state.running)) {
    return { done: true, ok: true, summary: "Running" };
  }
  return { done: false };
}

/** Reads each configured source once; a source that cannot be read at all is an error. */
async function readSourcesOnce(flags: KubeletFlags, platform: Platform, log: Logger): Promise<Snapshot[]> {
  const snapshots: Snapshot[] = [];
  if (flags.manifestPath) {
    snapshots.push(await readFileSource(platform, flags.manifestPath, { nodeName: flags.nodeName }));
  }
  if (flags.manifestUrl) {
    const result = await readHttpSource({}, {
      url: flags.manifestUrl,
      headers: flags.manifestUrlHeaders,
      nodeName: flags.nodeName,
    });
    if (result.changed) {
      if (result.warning) log.warn(result.warning);
      snapshots.push(result.snapshot);
    }
  }
  return snapshots;
}

/**
 * Runs the pods of the sources once; resolves the exit code: 0 when every
 * pod runs, 1 when one failed, a manifest was broken, or the time ran out.
 *
 * @param out where the per-pod lines go @default {console.log}
 */
export async function runOnce(
  flags: KubeletFlags,
  platform: Platform,
  docker: DockerClient,
  log: Logger,
  opts: { out?: (line: string) => void; timeoutMs?: number; pollMs?: number } = {},
): Promise<number> {
  const out = opts.out ?? ((line: string) => console.log(line));
  let snapshots: Snapshot[];
  try {
    snapshots = await readSourcesOnce(flags, platform, log);
  } catch (error) {
    log.error(`runonce: ${(error as Error).message}`);
    return 1;
  }
  const kubelet = new Kubelet(kubeletConfig(flags, platform), platform, docker, log);
  // Run-once removes nothing: with a source that never reports, containers of other pods are left alone.
  kubelet.expectSource("runonce");
  let broken = false;
  for (const snapshot of snapshots) {
    new ManifestWarnings(log).report(snapshot);
    broken ||= snapshot.problems.length > 0;
    kubelet.applySnapshot(snapshot);
  }
  const pods = kubelet.podList().items;
  log.info(`runonce: starting ${pods.length} pod${pods.length === 1 ? "" : "s"}`);
  const started = kubelet.start();
  const deadline = Date.now() + (opts.timeoutMs ?? RUN_ONCE_TIMEOUT_MS);
  const results = new Map<string, Extract<RunOnceOutcome, { done: true }>>();
  while (results.size < pods.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 250));
    for (const pod of kubelet.podList().items) {
      const key = podFullName(pod);
      const outcome = runOnceOutcome(pod);
      if (!results.has(key) && outcome.done) results.set(key, outcome);
    }
  }
  await kubelet.stop();
  await started;
  let ok = !broken;
  for (const pod of pods) {
    const key = podFullName(pod);
    const result = results.get(key) ??
      {
        ok: false,
        summary: `not running after ${Math.round((opts.timeoutMs ?? RUN_ONCE_TIMEOUT_MS) / 1000)}s`,
      };
    ok &&= result.ok;
    out(`pod "${key}": ${result.summary}`);
  }
  log.info(`runonce: ${ok ? "all pods run" : "not all pods run"}; the pods keep running`);
  return ok ? 0 : 1;
}
