/**
 * A pod's `/etc/resolv.conf` by its `dnsPolicy` and `dnsConfig`, as the
 * kubelet's dns.go computes it and a CRI runtime writes it. Without cluster
 * DNS, `ClusterFirst` falls back to the host's resolver configuration, as the
 * kubelet does when it has no `--cluster-dns`.
 *
 * @module
 */
import type { Pod } from "../api/types.ts";

/** A resolver configuration. */
export interface DnsConfig {
  nameservers: string[];
  searches: string[];
  /** `name` or `name:value`. */
  options: string[];
}

/** The most nameservers and search domains a resolver uses; the kubelet drops the rest. */
export const MAX_NAMESERVERS = 3;
export const MAX_SEARCHES = 32;

/**
 * Reads `nameserver`, `search` and `options` lines as the kubelet's
 * `parseResolvConf`: the last `search` line wins, its domains without a
 * trailing dot (and without "."); comments and other lines are skipped.
 */
export function parseResolvConf(text: string): DnsConfig {
  const config: DnsConfig = { nameservers: [], searches: [], options: [] };
  for (const raw of text.split("\n")) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const [key, ...values] = line.split(/\s+/);
    if (key === "nameserver" && values[0]) config.nameservers.push(values[0]);
    else if (key === "search") {
      config.searches = values.filter((s) => s !== ".").map((s) => s.replace(/\.$/, ""));
    } else if (key === "options") config.options.push(...values);
  }
  return config;
}

const unique = (list: string[]) => [...new Set(list)];

/** Options merged by name; a later value for a name replaces the earlier one in its place. */
function mergeOptions(base: string[], extra: { name: string; value?: string }[]): string[] {
  const options = new Map<string, string>();
  for (const o of base) {
    const colon = o.indexOf(":");
    options.set(colon < 0 ? o : o.slice(0, colon), colon < 0 ? "" : o.slice(colon + 1));
  }
  for (const o of extra) options.set(o.name, o.value ?? "");
  return [...options].map(([name, value]) => (value ? `${name}:${value}` : name));
}

/**
 * The resolver configuration of `pod`: the host's for every policy but
 * `None`, which starts empty; then the pod's `dnsConfig` appended (duplicates
 * dropped, options merged by name); at most 3 nameservers and 32 search domains.
 */
export function podDnsConfig(pod: Pod, host: DnsConfig): DnsConfig {
  const base: DnsConfig = pod.spec.dnsPolicy === "None"
    ? { nameservers: [], searches: [], options: [] }
    : { nameservers: [...host.nameservers], searches: [...host.searches], options: [...host.options] };
  const extra = pod.spec.dnsConfig ?? {};
  return {
    nameservers: unique([...base.nameservers, ...(extra.nameservers ?? [])]).slice(0, MAX_NAMESERVERS),
    searches: unique([...base.searches, ...(extra.searches ?? [])]).slice(0, MAX_SEARCHES),
    options: mergeOptions(base.options, extra.options ?? []),
  };
}

/** The file's text, laid out as containerd writes it: search, nameservers, options. */
export function formatResolvConf(config: DnsConfig): string {
  let text = "";
  if (config.searches.length) text += `search ${config.searches.join(" ")}\n`;
  for (const ns of config.nameservers) text += `nameserver ${ns}\n`;
  if (config.options.length) text += `options ${config.options.join(" ")}\n`;
  return text;
}
