/**
 * The binary's command line: bad flag values are a one-line error and exit
 * code 2; a stray word or no pod source starts nothing; --version answers in
 * the form kubeadm's preflight reads; --help lists the start-up flags.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { BINARY, cleanup, docker, e2eNode, e2ePort, inspect, tempDir } from "./_harness.ts";

const kubelet = (...args: string[]) => spawnSync(BINARY, args, { encoding: "utf8", timeout: 10_000 });

/** kubeadm's preflight (cmd/kubeadm/app/preflight/utils.go, GetKubeletVersion) on `kubelet --version`. */
const KUBEADM_KUBELET_VERSION =
  /^\s*Kubernetes v((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-0-9a-zA-Z_\.+]*)?)\s*$/;

for (
  const [args, pattern] of [
    [["--file-check-frequency=soon"], /--file-check-frequency: invalid duration "soon"/],
    [["--sync-frequency=10x"], /--sync-frequency: invalid duration/],
    [["--read-only-port=70000"], /--read-only-port: 70000 is not a port/],
    [["--healthz-port=70000"], /--healthz-port: 70000 is not a port/],
    [["--hostname-override=Bad_Name"], /--hostname-override: "bad_name" is not a valid node name/],
    [["--root-dir=relative"], /--root-dir: "relative" must be an absolute path/],
    [["--bogus-flag"], /Unknown option `--bogus(Flag|-flag)`/],
    // Logged (as a klog line, the message quoted) when the Engine client is made.
    [["--docker-endpoint=ftp://x"], /"docker endpoint \\"ftp:\/\/x\\": expected unix/],
    [["--logging-format=xml"], /--logging-format: "xml" is not a log format/],
    [["--max-pods=10"], /--max-pods is not implemented: .*Differences from the real kubelet/],
  ] as const
) {
  test(`kubelet ${args.join(" ")} exits 2 with one line naming the flag`, () => {
    const r = kubelet(...args, "--pod-manifest-path=/nonexistent");
    assert.equal(r.status, 2, r.stderr);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], pattern);
  });
}

test("kubelet pod (a typo of pods) and a kubelet with no pod source exit 2 and touch no container of the node", async () => {
  const node = e2eNode("typo");
  const dir = await tempDir(node);
  await cleanup(node);
  // A container of this node, as a running kubelet's pod would leave it.
  const name = `${node}-bystander`;
  await docker(
    "run",
    "-d",
    "--name",
    name,
    "--label",
    `io.kubernetes.standalone.node=${node}`,
    "--label",
    "io.kubernetes.pod.name=bystander",
    "busybox:latest",
    "sleep",
    "1000",
  );
  try {
    const before = await inspect(name);
    const common = [
      `--hostname-override=${node}`,
      `--root-dir=${dir}/root`,
      `--read-only-port=${e2ePort(18390)}`,
    ];
    for (
      const [args, message] of [
        [["pod", ...common], /^kubelet: unknown command "pod" for "kubelet"; did you mean "pods"\?/],
        [[...common, "--pod-manifest-path", dir, "validat"], /^kubelet: unknown command "validat"/],
        [common, /^kubelet: no pod source: give --pod-manifest-path/],
      ] as const
    ) {
      const r = kubelet(...args);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
    const after = await inspect(name);
    assert.equal(after.State.Running, true);
    assert.equal(after.State.StartedAt, before.State.StartedAt);
    assert.equal(after.RestartCount, before.RestartCount);
  } finally {
    await docker("rm", "-f", name);
    await cleanup(node, dir);
  }
});

test("kubelet --version prints one line kubeadm's preflight accepts; kubelet version names the runtime", () => {
  const r = kubelet("--version");
  assert.equal(r.status, 0);
  assert.match(r.stdout, KUBEADM_KUBELET_VERSION);
  assert.match(r.stdout, /^Kubernetes v1\.31\.\d+-standalone\.\d+\.\d+\.\d+\n$/);
  const long = kubelet("version");
  assert.equal(long.status, 0);
  // The compiled binary runs on Bun.
  assert.match(
    long.stdout,
    /^standalone-kubelet \d+\.\d+\.\d+ \(Kubernetes v1\.31\.\d+ kubelet behaviour\) bun \d+\.\d+\.\d+/,
  );
  assert.doesNotMatch(long.stdout, /node/i);
});

test("kubelet --help lists the kubelet's start-up flags, each default once, and examples; subcommands' help does not", () => {
  const r = kubelet("--help");
  assert.equal(r.status, 0);
  const flags = [
    "--config",
    "--pod-manifest-path",
    "--file-check-frequency",
    "--sync-frequency",
    "--hostname-override",
    "--docker-endpoint",
    "--read-only-port",
    "--address",
    "--healthz-port",
    "--healthz-bind-address",
    "--root-dir",
    "--pod-infra-container-image",
    "--logging-format",
    "--manifest-url",
    "--runonce",
  ];
  for (const flag of flags) assert.ok(r.stdout.includes(flag), `--help mentions ${flag}`);
  for (const line of r.stdout.split("\n")) assert.ok(line.split("(default:").length <= 2, line);
  assert.match(r.stdout, /Examples:\n\s+\$ kubelet /);
  for (const sub of ["pods", "logs", "validate", "version"]) {
    const help = kubelet(sub, "--help");
    assert.equal(help.status, 0, sub);
    for (const flag of flags) {
      assert.ok(!help.stdout.includes(flag), `${sub} --help does not mention ${flag}`);
    }
    assert.match(help.stdout, /Examples:\n\s+\$ kubelet /, `${sub} --help has examples`);
  }
});
