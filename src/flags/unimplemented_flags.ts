/**
 * Kubelet flags we do not implement but that systemd units (kubeadm's
 * 10-kubeadm.conf, distribution packages) commonly pass. Those whose absence
 * changes nothing a pod sees are accepted with a warning; those that would
 * change what pods get are refused, pointing to the README's differences.
 *
 * @module
 */
import { FlagError } from "./flag_error.ts";

interface Unimplemented {
  /** Takes a value (`--flag value` or `--flag=value`); otherwise a boolean (`--flag` or `--flag=false`). */
  value: boolean;
  /** Why ignoring it is harmless (accepted), or what it would change (refused). */
  why: string;
}

const NO_API_SERVER = "there is no API server: the node is not registered and only static pods run";
const NO_SECURE_PORT = "there is no authenticated port (10250) to configure";

/** Accepted with a warning: ignoring them changes nothing a pod sees. */
export const IGNORED_FLAGS: Readonly<Record<string, Unimplemented>> = {
  "kubeconfig": { value: true, why: NO_API_SERVER },
  "bootstrap-kubeconfig": { value: true, why: NO_API_SERVER },
  "register-node": { value: false, why: NO_API_SERVER },
  "node-labels": { value: true, why: NO_API_SERVER },
  "register-with-taints": { value: true, why: NO_API_SERVER },
  "rotate-certificates": { value: false, why: NO_SECURE_PORT },
  "anonymous-auth": { value: false, why: NO_SECURE_PORT },
  "authorization-mode": { value: true, why: NO_SECURE_PORT },
  "client-ca-file": { value: true, why: NO_SECURE_PORT },
  "tls-cert-file": { value: true, why: NO_SECURE_PORT },
  "tls-private-key-file": { value: true, why: NO_SECURE_PORT },
  "cgroup-driver": { value: true, why: "the Docker Engine's own cgroup driver is used" },
  "fail-swap-on": { value: false, why: "swap is not checked" },
};

/** Refused: they would change what pods get, and ignoring them would surprise. */
export const REFUSED_FLAGS: Readonly<Record<string, Unimplemented>> = {
  "container-runtime-endpoint": {
    value: true,
    why: "pods run on the Docker Engine, not a CRI runtime; give --docker-endpoint",
  },
  "image-service-endpoint": {
    value: true,
    why: "images come from the Docker Engine; give --docker-endpoint",
  },
  "max-pods": { value: true, why: "no pod limit is enforced" },
  "node-ip": { value: true, why: "the host IP pods see (status.hostIP) is detected, not set" },
  "cluster-dns": { value: true, why: "there is no cluster DNS: pods use the host's resolver configuration" },
  "cluster-domain": { value: true, why: "there is no cluster DNS" },
  "cgroup-root": { value: true, why: "pod cgroups are the Docker Engine's" },
  "kube-reserved": { value: true, why: "no resources are reserved or enforced for the node" },
  "system-reserved": { value: true, why: "no resources are reserved or enforced for the node" },
  "eviction-hard": { value: true, why: "pods are never evicted" },
  "feature-gates": { value: true, why: "there are no feature gates" },
};

/** Where the refusals point. */
export const DIFFERENCES = 'see the README\'s "Differences from the real kubelet"';

/** A flag's name in `arg` (`--name` or `--name=value`), or undefined when `arg` is no long flag. */
function flagName(arg: string): string | undefined {
  const m = /^--([a-z][a-z0-9-]*)(=|$)/.exec(arg);
  return m?.[1];
}

/**
 * Removes the accepted-but-ignored flags (with their values) from `args`,
 * before cac reads them.
 *
 * @returns the remaining arguments and one warning per ignored flag
 * @throws {FlagError} for a refused flag, naming it, why, and where the differences are listed
 */
export function stripUnimplementedFlags(args: string[]): { args: string[]; warnings: string[] } {
  const kept: string[] = [], warnings: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      kept.push(...args.slice(i));
      break;
    }
    const name = flagName(arg);
    const refused = name !== undefined && Object.hasOwn(REFUSED_FLAGS, name)
      ? REFUSED_FLAGS[name]
      : undefined;
    if (refused) throw new FlagError(`--${name} is not implemented: ${refused.why} (${DIFFERENCES})`);
    const ignored = name !== undefined && Object.hasOwn(IGNORED_FLAGS, name)
      ? IGNORED_FLAGS[name]
      : undefined;
    if (!ignored) {
      kept.push(arg);
      continue;
    }
    if (ignored.value && !arg.includes("=")) {
      if (i + 1 >= args.length) throw new FlagError(`--${name}: expected a value`);
      i++;
    }
    warnings.push(`--${name} is ignored: ${ignored.why}`);
  }
  return { args: kept, warnings };
}
