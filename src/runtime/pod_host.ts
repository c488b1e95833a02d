/**
 * What the runtime needs to know about the host to set up a pod's
 * containers: its IPs, allocatable CPU and memory, its hosts file, its
 * resolver configuration (`--resolv-conf`) and seccomp profiles.
 *
 * @module
 */
import type { Platform } from "../platform/types.ts";
import { readHostIP } from "../nodeinfo/host_ip.ts";
import { readMachineSpec } from "../nodeinfo/machine_spec.ts";
import { type DnsConfig, parseResolvConf } from "./resolv_conf.ts";

export interface PodHost {
  /** The node's IPs, the first one primary. */
  hostIPs(): Promise<string[]>;
  /** What a container may use at most when it sets no limit: cores and bytes. */
  allocatable(): Promise<{ cpu: number; memory: number }>;
  /** The host's `/etc/hosts`, for pods in the host's network. */
  hostsFile(): Promise<string>;
  /** The resolver configuration pods start from; empty when `--resolv-conf` is "". */
  resolvConf(): Promise<DnsConfig>;
  /** The JSON of the seccomp profile `name` under `<root-dir>/seccomp`. */
  seccompProfile(name: string): Promise<string>;
  /** The cluster's DNS domain, for a pod's `subdomain`. */
  readonly clusterDomain: string;
}

/** Options of {@linkcode createPodHost}. */
export interface PodHostOptions {
  rootDir: string;
  /** The resolver configuration file pods start from; "" for none. @default {"/etc/resolv.conf"} */
  resolvConf?: string;
  /** @default {"/etc/hosts"} */
  hostsFile?: string;
  /** @default {"cluster.local"} */
  clusterDomain?: string;
}

/** The host as the platform shows it; IPs and capacity are read once. */
export function createPodHost(fs: Pick<Platform, "readTextFile" | "statfs">, opts: PodHostOptions): PodHost {
  let ips: Promise<string[]> | undefined;
  let capacity: Promise<{ cpu: number; memory: number }> | undefined;
  const resolvConf = opts.resolvConf ?? "/etc/resolv.conf";
  return {
    hostIPs: () => (ips ??= readHostIP(fs).then((ip) => [ip])),
    allocatable: () =>
      capacity ??= readMachineSpec(fs).then((spec) => ({
        cpu: spec.num_cores,
        memory: spec.memory_capacity,
      })),
    hostsFile: () => fs.readTextFile(opts.hostsFile ?? "/etc/hosts"),
    resolvConf: async () =>
      resolvConf === ""
        ? { nameservers: [], searches: [], options: [] }
        : parseResolvConf(await fs.readTextFile(resolvConf)),
    seccompProfile: (name) => fs.readTextFile(`${opts.rootDir}/seccomp/${name}`),
    clusterDomain: opts.clusterDomain ?? "cluster.local",
  };
}
