/**
 * The node's IP: the address of the interface that holds the default route,
 * read from /proc/net (no packets sent), falling back to 127.0.0.1.
 *
 * @module
 */
import type { Platform } from "../platform/types.ts";

/** The interface of the IPv4 default route in /proc/net/route text, if any. */
export function defaultRouteInterface(routes: string): string | undefined {
  for (const line of routes.split("\n").slice(1)) {
    const [iface, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (destination === "00000000" && mask === "00000000") return iface;
  }
  return undefined;
}

/**
 * The local addresses of each interface in /proc/net/fib_trie text: for each
 * `/32 host LOCAL` leaf, the address; interfaces are matched by the subnets
 * listed in /proc/net/route.
 */
export function localAddresses(fibTrie: string): string[] {
  const out: string[] = [];
  const lines = fibTrie.split("\n");
  for (let i = 1; i < lines.length; i++) {
    if (/\/32 host LOCAL/.test(lines[i])) {
      const m = /([\d.]+)\s*$/.exec(lines[i - 1]);
      if (m && !m[1].startsWith("127.") && !out.includes(m[1])) out.push(m[1]);
    }
  }
  return out;
}

function hexToIp(hex: string): number[] {
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function inSubnet(ip: string, dest: string, mask: string): boolean {
  const a = ip.split(".").map(Number), d = hexToIp(dest), m = hexToIp(mask);
  return a.every((x, i) => (x & m[i]) === (d[i] & m[i]));
}

/** Picks the node IP: a local address inside a subnet routed through the default-route interface. */
export function pickHostIP(routes: string, fibTrie: string): string {
  const iface = defaultRouteInterface(routes);
  const addresses = localAddresses(fibTrie);
  if (iface) {
    for (const line of routes.split("\n").slice(1)) {
      const [name, dest, , , , , , mask] = line.trim().split(/\s+/);
      if (name !== iface || mask === "00000000") continue;
      const hit = addresses.find((ip) => inSubnet(ip, dest, mask));
      if (hit) return hit;
    }
  }
  return addresses[0] ?? "127.0.0.1";
}

/** Reads the node IP from /proc/net. */
export async function readHostIP(fs: Pick<Platform, "readTextFile">): Promise<string> {
  try {
    return pickHostIP(await fs.readTextFile("/proc/net/route"), await fs.readTextFile("/proc/net/fib_trie"));
  } catch {
    return "127.0.0.1";
  }
}
