/**
 * Wires the kubelet together for a run: Engine client, sync loop, file
 * source and status server, and stops cleanly on SIGTERM/SIGINT, leaving
 * the pods running as the real kubelet does.
 *
 * @module
 */
import { DockerClient } from "./docker/client.ts";
import { Transport } from "./docker/transport.ts";
import { dockerEndpoint } from "./docker/docker_endpoint.ts";
import type { KubeletFlags } from "./flags/flags.ts";
import { runFileSource } from "./config/file_source_loop.ts";
import { runHttpSource } from "./config/http_source_loop.ts";
import { kubeletConfig } from "./flags/kubelet_config.ts";
import { runOnce } from "./run_once.ts";
import { Kubelet } from "./kubelet/kubelet.ts";
import type { Logger } from "./log.ts";
import type { Platform, Server } from "./platform/types.ts";
import { createStatusHandler } from "./server/handler.ts";
import { isLoopbackAddress, kubeletStatusSource } from "./server/status_source.ts";
import { instrumentFetch } from "./docker/instrumented_fetch.ts";
import { containerType } from "./runtime/container_type.ts";
import { KubeletMetrics } from "./metrics/kubelet_metrics.ts";
import { formatDuration } from "./duration.ts";
import { VERSION } from "./version.ts";
import { serveHealthz } from "./server/healthz_server.ts";

/** Creates the Engine client for an endpoint URL; with `metrics`, every call is measured. */
export function dockerClientFor(platform: Platform, url: string, metrics?: KubeletMetrics): DockerClient {
  const { endpoint, fetchFn } = dockerEndpoint(platform, url);
  return new DockerClient(
    new Transport(endpoint, metrics ? instrumentFetch(fetchFn, metrics, containerType) : fetchFn),
  );
}

/** Runs until SIGTERM or SIGINT; resolves the exit code. */
export async function runKubelet(flags: KubeletFlags, platform: Platform, log: Logger): Promise<number> {
  const metrics = new KubeletMetrics(flags.nodeName);
  let docker: DockerClient;
  try {
    docker = dockerClientFor(platform, flags.dockerEndpoint, metrics);
  } catch (error) {
    log.error((error as Error).message);
    return 2;
  }
  if (flags.runOnce) return await runOnce(flags, platform, docker, log);
  log.info(`standalone kubelet ${VERSION} starting`, {
    node: flags.nodeName,
    manifests: flags.manifestPath ?? "(none)",
    docker: flags.dockerEndpoint,
    runtime: platform.name,
  });
  const kubelet = new Kubelet(kubeletConfig(flags, platform, metrics), platform, docker, log);

  const healthz = flags.healthzPort === 0 ? undefined : serveHealthz(platform, log, {
    hostname: flags.healthzBindAddress,
    port: flags.healthzPort,
    signal: kubelet.signal,
  });
  let server: Server | undefined;
  if (flags.readOnlyPort !== 0) {
    const source = kubeletStatusSource(kubelet, docker, platform, metrics, log);
    const handler = createStatusHandler(source, { address: flags.address });
    try {
      server = await platform.serve({ hostname: flags.address, port: flags.readOnlyPort }, handler);
      log.info(`status server listening on http://${flags.address}:${server.port}`);
      if (!isLoopbackAddress(flags.address)) {
        log.warn(
          "status server is reachable from other hosts: pods, logs and metrics are served without authentication",
          {
            address: flags.address,
          },
        );
      }
    } catch (error) {
      log.error(
        `status server: cannot listen on ${flags.address}:${flags.readOnlyPort}: ${(error as Error).message}`,
      );
      return 1;
    }
  }

  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      // A second signal while stopping (a sync stuck in a grace period) forces the exit.
      if (stopping) {
        log.warn(`received ${signal} again; exiting now`);
        platform.exit(1);
      }
      stopping = true;
      log.info(`received ${signal}; stopping (pods keep running)`);
      await kubelet.stop();
      await server?.close();
      await healthz;
      resolve(0);
    };
    platform.onSignal("SIGTERM", () => stop("SIGTERM"));
    platform.onSignal("SIGINT", () => stop("SIGINT"));
  });

  if (flags.manifestPath) {
    kubelet.expectSource("file");
    log.info(`watching ${flags.manifestPath}`, {
      fileCheckFrequency: formatDuration(flags.fileCheckFrequencyMs),
    });
    await runFileSource(platform, log, {
      path: flags.manifestPath,
      nodeName: flags.nodeName,
      periodMs: flags.fileCheckFrequencyMs,
      signal: kubelet.signal,
    }, (snapshot) => kubelet.applySnapshot(snapshot));
  }
  if (flags.manifestUrl) {
    // Until the URL has answered, containers of pods the kubelet does not know are left alone.
    kubelet.expectSource("http");
    log.info(`reading ${flags.manifestUrl}`, {
      httpCheckFrequency: formatDuration(flags.httpCheckFrequencyMs),
    });
    await runHttpSource(log, {
      url: flags.manifestUrl,
      headers: flags.manifestUrlHeaders,
      nodeName: flags.nodeName,
      periodMs: flags.httpCheckFrequencyMs,
      signal: kubelet.signal,
    }, (snapshot) => kubelet.applySnapshot(snapshot));
  }
  kubelet.start();
  return await stopped;
}
