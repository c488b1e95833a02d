/**
 * `kubelet kubeconfig`: prints a kubeconfig whose one cluster is the
 * kubelet's read-only port, so `kubectl --kubeconfig FILE get pods` works
 * without `--server`.
 *
 * @module
 */
import { stringify } from "yaml";
import type { CliIo } from "./io.ts";
import { CliError } from "./server.ts";

/** What the kubeconfig points at. */
export interface KubeconfigOptions {
  /** The status server's URL. */
  server: string;
  /** The name of the cluster, user and context. @default "standalone-kubelet" */
  name?: string;
}

/** The kubeconfig (a v1 Config) as YAML. @throws {CliError} when the server is not an http(s) URL */
export function kubeconfig({ server, name = "standalone-kubelet" }: KubeconfigOptions): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new CliError(`--server: ${JSON.stringify(server)} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(`--server: ${JSON.stringify(server)} is not an http or https URL`);
  }
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    // Plain http has no TLS to verify; client libraries (@kubernetes/client-node) refuse http without this.
    clusters: [{
      name,
      cluster: {
        server: server.replace(/\/+$/, ""),
        ...(url.protocol === "http:" ? { "insecure-skip-tls-verify": true } : {}),
      },
    }],
    users: [{ name, user: {} }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: "default" } }],
    "current-context": name,
    preferences: {},
  });
}

/** Prints the kubeconfig; resolves exit code 0. @throws {CliError} */
export async function runKubeconfig(io: CliIo, options: KubeconfigOptions): Promise<number> {
  await io.out(kubeconfig(options));
  return 0;
}
