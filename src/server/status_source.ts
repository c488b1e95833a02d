/**
 * Connects the status server to a running kubelet: its pods, runtime view,
 * sync-loop health, stats, metrics and the Engine's logs.
 *
 * @module
 */
import type { DockerClient } from "../docker/client.ts";
import type { Kubelet } from "../kubelet/kubelet.ts";
import type { Logger } from "../log.ts";
import type { KubeletMetrics } from "../metrics/kubelet_metrics.ts";
import type { Platform } from "../platform/types.ts";
import { streamContainerLogs } from "./container_logs.ts";
import type { StatusSource } from "./handler.ts";
import { readMachineSpec } from "../nodeinfo/machine_spec.ts";
import { runningPods } from "./running_pods.ts";
import { StatsProvider } from "../stats/stats_provider.ts";
import { readNodeFacts } from "../nodeinfo/node_facts.ts";
import { GIT_VERSION } from "./apiserver/discovery.ts";

/** True for addresses only this host can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackAddress(address: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(address) || address === "::1" || address === "[::1]" ||
    address === "localhost";
}

/** Everything `--read-only-port` serves about `kubelet`. */
export function kubeletStatusSource(
  kubelet: Kubelet,
  docker: DockerClient,
  platform: Platform,
  metrics: KubeletMetrics | undefined,
  log: Logger,
): StatusSource {
  const { nodeName, rootDir } = kubelet.config;
  const stats = new StatsProvider(docker, platform, {
    nodeName,
    rootDir,
    podList: () => kubelet.podList(),
    observed: () => kubelet.observed,
  });
  const startedAt = new Date();
  let runtimeVersion: string | undefined;
  return {
    nodeName,
    nodeFacts: () =>
      readNodeFacts({
        fs: platform,
        name: nodeName,
        hostname: platform.hostname(),
        rootDir,
        architecture: platform.arch,
        kubeletVersion: GIT_VERSION,
        startedAt,
        runtimeVersion: async () => runtimeVersion ??= (await docker.info()).ServerVersion ?? "unknown",
      }),
    events: kubelet.events,
    signal: kubelet.signal,
    arch: platform.arch,
    podList: () => kubelet.podList(),
    machineSpec: () => readMachineSpec(platform),
    healthChecks: [{ name: "syncloop", check: () => kubelet.monitor.check() }],
    runningPods: () => runningPods(kubelet.observed),
    statsSummary: () => stats.summary(),
    metrics: metrics && (() => metrics.registry.expose()),
    containerLogs: (target, query, signal) =>
      streamContainerLogs(docker, kubelet.podList(), target, query, signal),
    log,
  };
}
