import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  isKubeletConfiguration,
  KubeletConfigError,
  parseKubeletConfig,
} from "../../src/kubeletconfig/kubelet_config_file.ts";
import { parseFlags } from "../../src/flags/flags.ts";
import { parseLogFlags } from "../../src/flags/log_flags.ts";

const KUBEADM = readFileSync(new URL("../testdata/kubeadm-kubelet/config.yaml", import.meta.url), "utf8");
const header = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n";

test("kubeadm's KubeletConfiguration gives its staticPodPath and health port; its 0s durations keep the defaults", () => {
  const file = parseKubeletConfig(KUBEADM, "/var/lib/kubelet");
  assert.deepEqual(file.options, {
    podManifestPath: "/etc/kubernetes/manifests",
    healthzBindAddress: "127.0.0.1",
    healthzPort: 10248,
    v: 0,
  });
  const flags = parseFlags(file.options, () => undefined, "node1");
  assert.equal(flags.manifestPath, "/etc/kubernetes/manifests");
  assert.equal(flags.fileCheckFrequencyMs, 20_000);
  assert.equal(flags.syncFrequencyMs, 60_000);
  assert.equal(flags.httpCheckFrequencyMs, 20_000);
  assert.equal(flags.readOnlyPort, 10255, "the status server keeps our default");
});

test("kubeadm's KubeletConfiguration lists the fields set but not implemented, and no unknown field", () => {
  const file = parseKubeletConfig(KUBEADM, "/var/lib/kubelet");
  assert.deepEqual(file.notImplemented, [
    "authentication",
    "authorization",
    "cgroupDriver",
    "clusterDNS",
    "clusterDomain",
    "rotateCertificates",
  ]);
  assert.deepEqual(file.unknown, []);
});

test("parseKubeletConfig maps every implemented field to its flag's option", () => {
  const file = parseKubeletConfig(
    `${header}staticPodPath: manifests
staticPodURL: http://127.0.0.1:8080/pods
staticPodURLHeader:
  Authorization: ["Bearer a,b"]
  X-Two: [one, two]
fileCheckFrequency: 5s
httpCheckFrequency: 1m
syncFrequency: 30s
address: 0.0.0.0
readOnlyPort: 0
healthzPort: 0
healthzBindAddress: "::1"
resolvConf: ""
logging:
  format: json
  verbosity: 4
`,
    "/etc/kubelet",
  );
  assert.deepEqual(file.options, {
    podManifestPath: "/etc/kubelet/manifests",
    manifestUrl: "http://127.0.0.1:8080/pods",
    manifestUrlHeaderPairs: [["Authorization", "Bearer a,b"], ["X-Two", "one"], ["X-Two", "two"]],
    fileCheckFrequency: "5s",
    httpCheckFrequency: "1m",
    syncFrequency: "30s",
    address: "0.0.0.0",
    readOnlyPort: 0,
    healthzPort: 0,
    healthzBindAddress: "::1",
    resolvConf: "",
    loggingFormat: "json",
    v: 4,
  });
  const flags = parseFlags(file.options, () => undefined, "node1");
  assert.deepEqual(flags.manifestUrlHeaders, [["Authorization", "Bearer a,b"], ["X-Two", "one"], [
    "X-Two",
    "two",
  ]]);
  assert.equal(flags.resolvConf, "");
  assert.deepEqual(parseLogFlags(file.options), { format: "json", verbosity: 4 });
});

test("parseKubeletConfig names unknown fields, top-level and under logging", () => {
  const file = parseKubeletConfig(`${header}staticPodPth: /x\nlogging:\n  formt: json\n`, "/");
  assert.deepEqual(file.unknown, ["logging.formt", "staticPodPth"]);
});

for (
  const [body, field] of [
    ["readOnlyPort: http", /^readOnlyPort: "http" is not a port/],
    ["healthzPort: 70000", /^healthzPort: 70000 is not a port/],
    ["healthzPort: '10248'", /^healthzPort: "10248" is not a port/],
    ["syncFrequency: 60", /^syncFrequency: expected a string, got 60/],
    ["fileCheckFrequency: soon", /^fileCheckFrequency: invalid duration "soon"/],
    ["httpCheckFrequency: -5s", /^httpCheckFrequency: /],
    ["staticPodPath: [a]", /^staticPodPath: expected a string/],
    ["staticPodURL: file:///etc/pods", /^staticPodURL: "file:\/\/\/etc\/pods" is not an http or https URL/],
    ["staticPodURLHeader: {X-A: value}", /^staticPodURLHeader\.X-A: expected a list of strings/],
    ['staticPodURLHeader: {"bad name": [x]}', /^staticPodURLHeader: "bad name" is not an HTTP header name/],
    [
      'staticPodURLHeader: {X-A: ["a\\r\\nX-B: b"]}',
      /^staticPodURLHeader\.X-A: a header value must not hold CR, LF or NUL/,
    ],
    ["logging: {format: xml}", /^logging\.format: "xml" is not a log format/],
    ["logging: {verbosity: high}", /^logging\.verbosity: "high" is not a verbosity level/],
    ["logging: text", /^logging: expected an object/],
  ] as const
) {
  test(`parseKubeletConfig refuses ${body}, naming the field`, () => {
    assert.throws(
      () => parseKubeletConfig(`${header}${body}\n`, "/"),
      (e: unknown) => e instanceof KubeletConfigError && field.test(e.message),
    );
  });
}

test("parseKubeletConfig refuses another apiVersion, and YAML it cannot read", () => {
  assert.throws(
    () => parseKubeletConfig("apiVersion: kubelet.config.k8s.io/v1alpha1\nkind: KubeletConfiguration\n", "/"),
    /apiVersion: expected kubelet\.config\.k8s\.io\/v1beta1, got "kubelet\.config\.k8s\.io\/v1alpha1"/,
  );
  assert.throws(() => parseKubeletConfig(`${header}staticPodPath: [unclosed\n`, "/"), /not valid YAML/);
});

test("isKubeletConfiguration tells a configuration file from a pod manifest, even a broken one", () => {
  assert.equal(isKubeletConfiguration(KUBEADM), true);
  assert.equal(isKubeletConfiguration(`${header}staticPodPath: [unclosed\n`), true);
  assert.equal(isKubeletConfiguration("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"), false);
  assert.equal(isKubeletConfiguration("{{{ not yaml"), false);
});
