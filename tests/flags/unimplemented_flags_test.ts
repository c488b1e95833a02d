import { test } from "node:test";
import assert from "node:assert/strict";
import { stripUnimplementedFlags } from "../../src/flags/unimplemented_flags.ts";
import { FlagError } from "../../src/flags/flag_error.ts";

test("stripUnimplementedFlags removes kubeadm's unit flags with their values and warns once for each", () => {
  const { args, warnings } = stripUnimplementedFlags([
    "--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf",
    "--kubeconfig",
    "/etc/kubernetes/kubelet.conf",
    "--config=/var/lib/kubelet/config.yaml",
    "--fail-swap-on=false",
    "--cgroup-driver",
    "systemd",
    "--rotate-certificates",
    "-v",
    "2",
  ]);
  assert.deepEqual(args, ["--config=/var/lib/kubelet/config.yaml", "-v", "2"]);
  assert.deepEqual(warnings.map((w) => w.split(" ")[0]), [
    "--bootstrap-kubeconfig",
    "--kubeconfig",
    "--fail-swap-on",
    "--cgroup-driver",
    "--rotate-certificates",
  ]);
  assert.match(warnings[1], /--kubeconfig is ignored: there is no API server/);
});

for (
  const flag of [
    "--container-runtime-endpoint=unix:///run/containerd/containerd.sock",
    "--max-pods=10",
    "--node-ip",
    "--cluster-dns=10.96.0.10",
  ]
) {
  test(`stripUnimplementedFlags refuses ${flag}, naming it and pointing to the README's differences`, () => {
    const name = flag.split("=")[0];
    assert.throws(
      () => stripUnimplementedFlags([flag, "1.2.3.4"]),
      (e: unknown) =>
        e instanceof FlagError && e.message.startsWith(`${name} is not implemented: `) &&
        e.message.includes("Differences from the real kubelet"),
    );
  });
}

test("stripUnimplementedFlags leaves words after -- and values that merely look alike alone", () => {
  assert.deepEqual(stripUnimplementedFlags(["--", "--kubeconfig"]).args, ["--", "--kubeconfig"]);
  assert.deepEqual(stripUnimplementedFlags(["--kubeconfigs=x"]).args, ["--kubeconfigs=x"]);
  assert.throws(() => stripUnimplementedFlags(["--kubeconfig"]), /--kubeconfig: expected a value/);
});
