/**
 * Standalone kubelet: the kubelet's job on one host without a cluster. Hand
 * it a directory of Pod manifests and it keeps exactly those pods running on
 * the local Docker Engine.
 *
 * Run as the main module (`deno run -A mod.ts ...`, `bun mod.ts ...`) it is
 * the CLI, exactly as the compiled binary (built from `src/main.ts`) is;
 * imported, it re-exports the parts for embedding and testing.
 *
 * @module
 */
export { runCli } from "./src/cli.ts";
export { type KubeletFlags, parseFlags } from "./src/flags/flags.ts";
export { dockerClientFor, runKubelet } from "./src/run.ts";
export { Kubelet, type KubeletConfig } from "./src/kubelet/kubelet.ts";
export { DockerClient } from "./src/docker/client.ts";
export { DockerError } from "./src/docker/docker_error.ts";
export { computePodActions, type PodActions } from "./src/runtime/plan.ts";
export { generatePodStatus } from "./src/status/generate.ts";
export { createStatusHandler, type StatusSource } from "./src/server/handler.ts";
export { KubeletMetrics } from "./src/metrics/kubelet_metrics.ts";
export { Registry } from "./src/metrics/registry.ts";
export { StatsProvider } from "./src/stats/stats_provider.ts";
export type { Summary } from "./src/stats/summary.ts";
export { checkManifest, type Diagnostic, type WarningCheck } from "./src/manifest/check_manifest.ts";
export { readFileSource } from "./src/config/file_source.ts";
export { readHttpSource } from "./src/config/http_source.ts";
export { runOnce } from "./src/run_once.ts";
export { findFieldWarnings } from "./src/manifest/field_warnings.ts";
export { emptyMergeState, mergeSnapshot } from "./src/config/merge.ts";
export { decodeManifest } from "./src/manifest/decode.ts";
export { decodeConfigObject } from "./src/manifest/decode_config_object.ts";
export type { ConfigMapObject, ConfigObjects, SecretObject } from "./src/api/config_objects.ts";
export { referencedObjects } from "./src/config/referenced_objects.ts";
export { validatePod } from "./src/manifest/validate.ts";
export { applyDefaults } from "./src/manifest/defaults.ts";
export { toStaticPod } from "./src/manifest/static_pod.ts";
export { parseDuration } from "./src/duration.ts";
export { platform } from "./src/platform/mod.ts";
export type * from "./src/api/types.ts";
export { type ApiSource, createApiHandler } from "./src/server/apiserver/api_handler.ts";
export { WatchCache, type WatchEvent } from "./src/server/apiserver/watch_cache.ts";
export { EventRecorder, type EventSink } from "./src/events/event_recorder.ts";

import { runCli as cli } from "./src/cli.ts";
import { platform as host } from "./src/platform/mod.ts";

if (import.meta.main) {
  host.exit(await cli(host.args, host));
}
