/**
 * The sync loop's configuration from the flags, built in one place for the kubelet and for
 * `--runonce`.
 *
 * @module
 */
import type { KubeletConfig } from "../kubelet/kubelet.ts";
import type { KubeletMetrics } from "../metrics/kubelet_metrics.ts";
import type { Platform } from "../platform/types.ts";
import { createPodHost } from "../runtime/pod_host.ts";
import type { KubeletFlags } from "./flags.ts";

/** The {@linkcode KubeletConfig} the flags ask for; `metrics` is where the loop's metrics go (none when undefined). */
export function kubeletConfig(
  flags: KubeletFlags,
  platform: Platform,
  metrics?: KubeletMetrics,
): KubeletConfig {
  return {
    nodeName: flags.nodeName,
    rootDir: flags.rootDir,
    podInfraContainerImage: flags.podInfraContainerImage,
    syncFrequencyMs: flags.syncFrequencyMs,
    metrics,
    podHost: createPodHost(platform, { rootDir: flags.rootDir, resolvConf: flags.resolvConf }),
  };
}
