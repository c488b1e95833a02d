/**
 * Discovery as the API server answers it, for what this server serves:
 * `/version`, `/api` (APIVersions), `/api/v1` (APIResourceList, verbs get,
 * list and watch only) and `/apis` (an empty APIGroupList, so clients find
 * nothing more and do not fail).
 *
 * @module
 */
import { KUBERNETES_VERSION, VERSION } from "../../version.ts";

/** `/version`'s gitVersion: the Kubernetes release we follow, with our version as build metadata. */
export const GIT_VERSION = `${KUBERNETES_VERSION}+standalone.${VERSION}`;

/** `/version`. */
export function versionInfo(arch: string): Record<string, string> {
  const [major, minor] = KUBERNETES_VERSION.slice(1).split(".");
  return {
    major,
    minor,
    gitVersion: GIT_VERSION,
    gitCommit: "",
    gitTreeState: "",
    buildDate: "1970-01-01T00:00:00Z",
    goVersion: "",
    compiler: "standalone-kubelet",
    platform: `linux/${arch}`,
  };
}

/** `/api`. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

const READ = ["get", "list", "watch"];

const resource = (
  name: string,
  singularName: string,
  kind: string,
  namespaced: boolean,
  shortNames: string[],
  verbs = READ,
) => ({ name, singularName, namespaced, kind, verbs, ...(shortNames.length ? { shortNames } : {}) });

/** `/api/v1`: what this server serves, read-only. */
export function apiResourceList(): Record<string, unknown> {
  return {
    kind: "APIResourceList",
    groupVersion: "v1",
    resources: [
      resource("events", "event", "Event", true, ["ev"]),
      resource("namespaces", "namespace", "Namespace", false, ["ns"]),
      resource("nodes", "node", "Node", false, ["no"]),
      { ...resource("pods", "pod", "Pod", true, ["po"]), categories: ["all"] },
      resource("pods/log", "", "Pod", true, [], ["get"]),
    ],
  };
}

/** `/apis`: no groups. */
export function apiGroupList(): Record<string, unknown> {
  return { kind: "APIGroupList", apiVersion: "v1", groups: [] };
}
