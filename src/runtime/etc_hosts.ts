/**
 * The `/etc/hosts` the kubelet writes for each pod and mounts into its
 * containers (kubelet_pods.go `managedHostsFileContent`, `nodeHostsFileContent`).
 *
 * @module
 */
import type { Pod } from "../api/types.ts";

const MANAGED_HEADER = "# Kubernetes-managed hosts file.\n";
const HOST_NETWORK_HEADER = "# Kubernetes-managed hosts file (host network).\n";

/** The host name and domain the kubelet gives a pod (`GeneratePodHostNameAndDomain`). */
export function podHostnameAndDomain(pod: Pod, clusterDomain: string): { hostname: string; domain?: string } {
  // A name longer than a DNS label is cut, with trailing '-' and '.' dropped.
  const hostname = (pod.spec.hostname || pod.metadata.name || "").slice(0, 63).replace(/[-.]+$/, "");
  const domain = pod.spec.subdomain
    ? `${pod.spec.subdomain}.${pod.metadata.namespace}.svc.${clusterDomain}`
    : undefined;
  return { hostname, domain };
}

function aliasEntries(pod: Pod): string {
  const aliases = pod.spec.hostAliases ?? [];
  if (aliases.length === 0) return "";
  return "\n# Entries added by HostAliases.\n" +
    aliases.map((a) => `${a.ip}\t${(a.hostnames ?? []).join("\t")}\n`).join("");
}

/** The hosts file of a pod in its own network namespace: localhost, the pod's own names, its host aliases. */
export function managedHostsFile(pod: Pod, podIPs: string[], clusterDomain: string): string {
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  let text = MANAGED_HEADER +
    "127.0.0.1\tlocalhost\n" +
    "::1\tlocalhost ip6-localhost ip6-loopback\n" +
    "fe00::0\tip6-localnet\n" +
    "fe00::0\tip6-mcastprefix\n" +
    "fe00::1\tip6-allnodes\n" +
    "fe00::2\tip6-allrouters\n";
  for (const ip of podIPs) {
    text += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  }
  return text + aliasEntries(pod);
}

/** The hosts file of a pod in the host's network namespace: the host's own file, then the pod's host aliases. */
export function hostNetworkHostsFile(pod: Pod, hostFile: string): string {
  return HOST_NETWORK_HEADER + hostFile + aliasEntries(pod);
}
