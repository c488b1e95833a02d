import { test } from "node:test";
import assert from "node:assert/strict";
import { FLAG_DEFAULTS, parseFlags } from "../../src/flags/flags.ts";
import { FlagError } from "../../src/flags/flag_error.ts";
import { parseBootstrapFlags } from "../../src/flags/flags_bootstrap.ts";

const noEnv = () => undefined;

/** Asserts that parsing `options` throws a FlagError whose message names `flag`. */
function assertFlagError(options: Record<string, unknown>, flag: string, hostname = "node1"): void {
  assert.throws(
    () => parseFlags({ podManifestPath: "/m", ...options }, noEnv, hostname),
    (error: unknown) => error instanceof FlagError && error.message.includes(flag),
  );
}

test("parseFlags defaults every setting", () => {
  assert.deepEqual(parseFlags({ allowNoSources: true }, noEnv, "node1"), {
    manifestPath: undefined,
    fileCheckFrequencyMs: 20_000,
    syncFrequencyMs: 60_000,
    nodeName: "node1",
    dockerEndpoint: "unix:///var/run/docker.sock",
    readOnlyPort: 10255,
    address: "127.0.0.1",
    healthzPort: 10248,
    healthzBindAddress: "127.0.0.1",
    rootDir: "/var/lib/kubelet",
    podInfraContainerImage: FLAG_DEFAULTS.podInfraContainerImage,
    ...parseBootstrapFlags({}),
  });
});

test("parseFlags reads every flag as cac camel-cases it", () => {
  const flags = parseFlags(
    {
      podManifestPath: "/etc/kubernetes/manifests",
      fileCheckFrequency: "5s",
      syncFrequency: "1m30s",
      hostnameOverride: "worker-1",
      dockerEndpoint: "tcp://127.0.0.1:2375",
      readOnlyPort: "0",
      address: "0.0.0.0",
      healthzPort: "0",
      healthzBindAddress: "::1",
      rootDir: "/srv/kubelet/",
      podInfraContainerImage: "registry.k8s.io/pause:3.10",
    },
    noEnv,
    "node1",
  );
  assert.deepEqual(flags, {
    manifestPath: "/etc/kubernetes/manifests",
    fileCheckFrequencyMs: 5_000,
    syncFrequencyMs: 90_000,
    nodeName: "worker-1",
    dockerEndpoint: "tcp://127.0.0.1:2375",
    readOnlyPort: 0,
    address: "0.0.0.0",
    healthzPort: 0,
    healthzBindAddress: "::1",
    rootDir: "/srv/kubelet",
    podInfraContainerImage: "registry.k8s.io/pause:3.10",
    ...parseBootstrapFlags({}),
  });
});

test("parseFlags takes the manifest path from --pod-manifest-path too", () => {
  assert.equal(parseFlags({ podManifestPath: "/m" }, noEnv, "node1").manifestPath, "/m");
});

test("parseFlags refuses to start with no pod source unless --allow-no-sources says so", () => {
  assert.throws(
    () => parseFlags({}, noEnv, "node1"),
    (e: unknown) => e instanceof FlagError && /no pod source: give --pod-manifest-path/.test(e.message),
  );
  assert.equal(
    parseFlags({ manifestUrl: "http://127.0.0.1:1/" }, noEnv, "node1").manifestUrl,
    "http://127.0.0.1:1/",
  );
  assert.equal(parseFlags({ allowNoSources: true }, noEnv, "node1").manifestPath, undefined);
});

test("parseFlags honours DOCKER_HOST when --docker-endpoint is not given", () => {
  const env = (name: string) => (name === "DOCKER_HOST" ? "unix:///run/user/1000/docker.sock" : undefined);
  assert.equal(
    parseFlags({ allowNoSources: true }, env, "node1").dockerEndpoint,
    "unix:///run/user/1000/docker.sock",
  );
  assert.equal(
    parseFlags({ allowNoSources: true, dockerEndpoint: "tcp://h:2375" }, env, "node1").dockerEndpoint,
    "tcp://h:2375",
  );
});

test("parseFlags lower-cases the node name from the host name and from --hostname-override", () => {
  assert.equal(
    parseFlags({ allowNoSources: true }, noEnv, "Build-Box.Example.COM").nodeName,
    "build-box.example.com",
  );
  assert.equal(
    parseFlags({ allowNoSources: true, hostnameOverride: "Worker-A" }, noEnv, "node1").nodeName,
    "worker-a",
  );
});

test("parseFlags trims spaces around --hostname-override, as the kubelet does", () => {
  assert.equal(
    parseFlags({ allowNoSources: true, hostnameOverride: " Worker-A " }, noEnv, "node1").nodeName,
    "worker-a",
  );
});

const badFlags: [name: string, options: Record<string, unknown>, flag: string][] = [
  ["a port that is not a number", { readOnlyPort: "http" }, "--read-only-port"],
  ["a port above 65535", { readOnlyPort: 70000 }, "--read-only-port"],
  ["a negative port", { readOnlyPort: -1 }, "--read-only-port"],
  ["a node name with underscores", { hostnameOverride: "my_node" }, "--hostname-override"],
  ["a relative root dir", { rootDir: "var/lib/kubelet" }, "--root-dir"],
  ["a bad sync frequency", { syncFrequency: "soon" }, "--sync-frequency"],
  ["a zero sync frequency", { syncFrequency: "0" }, "--sync-frequency"],
  ["a bad file check frequency", { fileCheckFrequency: "20" }, "--file-check-frequency"],
  ["a flag given twice", { podManifestPath: ["/a", "/b"] }, "--pod-manifest-path"],
  ["a healthz port above 65535", { healthzPort: 65536 }, "--healthz-port"],
  ["a healthz port that is not a number", { healthzPort: "ten" }, "--healthz-port"],
];

for (const [name, options, flag] of badFlags) {
  test(`parseFlags rejects ${name} with a FlagError naming ${flag}`, () => {
    assertFlagError(options, flag);
  });
}

test("parseFlags rejects a host name that is not a valid node name, naming --hostname-override", () => {
  assertFlagError({}, "--hostname-override", "bad_host");
});
