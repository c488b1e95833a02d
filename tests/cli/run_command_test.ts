import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../../src/cli.ts";
import { platform } from "../../src/platform/mod.ts";
import type { Platform } from "../../src/platform/types.ts";
import { captureIo } from "./_io.ts";

/** kubeadm's preflight (cmd/kubeadm/app/preflight/utils.go, GetKubeletVersion) on `kubelet --version`. */
const KUBEADM_KUBELET_VERSION =
  /^\s*Kubernetes v((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-0-9a-zA-Z_\.+]*)?)\s*$/;
/** k8s.io/apimachinery's version.ParseSemantic, which kubeadm applies to the match. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?(\+[0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*)?$/;

/** The platform, with every way to reach the Engine, a port or a file counted and refused. */
function guardedPlatform(): { platform: Platform; touched: string[] } {
  const touched: string[] = [];
  const refuse = (what: string) => () => {
    touched.push(what);
    throw new Error(`${what} must not be called`);
  };
  return {
    touched,
    platform: {
      ...platform,
      name: platform.name,
      runtimeVersion: platform.runtimeVersion,
      arch: platform.arch,
      unixFetch: refuse("unixFetch"),
      serve: refuse("serve"),
      mkdir: refuse("mkdir"),
      writeFile: refuse("writeFile"),
      remove: refuse("remove"),
    },
  };
}

for (
  const [args, message] of [
    [["pod"], /^kubelet: unknown command "pod" for "kubelet"; did you mean "pods"\?/],
    [["--pod-manifest-path=/etc/kubernetes/manifests", "pod"], /^kubelet: unknown command "pod"/],
    [[], /^kubelet: no pod source: give --pod-manifest-path/],
    [
      ["--container-runtime-endpoint=unix:///run/containerd/containerd.sock"],
      /--container-runtime-endpoint is not implemented/,
    ],
    [["--config=/nonexistent/config.yaml"], /^kubelet: --config \/nonexistent\/config\.yaml: no such file/],
  ] as const
) {
  test(`kubelet ${args.join(" ")} exits 2 with one line and touches no container, port or file`, async () => {
    const { platform, touched } = guardedPlatform();
    const io = captureIo();
    assert.equal(await runCli([...args], platform, io), 2);
    assert.equal(io.stderr().split("\n").length, 2, io.stderr());
    assert.match(io.stderr(), message);
    assert.deepEqual(touched, []);
    assert.equal(io.stdout(), "");
  });
}

test("kubelet --version prints one line that kubeadm's preflight parses as a semantic version", async () => {
  const io = captureIo();
  assert.equal(await runCli(["--version"], guardedPlatform().platform, io), 0);
  const match = KUBEADM_KUBELET_VERSION.exec(io.stdout().trim());
  assert.ok(match, io.stdout());
  assert.match(match[1], SEMVER);
  assert.match(io.stdout(), /^Kubernetes v1\.31\.\d+-standalone\.\d+\.\d+\.\d+\n$/);
});

test("kubelet version names the runtime that really runs it, with its version", async () => {
  const io = captureIo();
  assert.equal(await runCli(["version"], platform, io), 0);
  const runtime = "Bun" in globalThis ? "bun" : "deno";
  assert.match(
    io.stdout(),
    new RegExp(
      `^standalone-kubelet \\d+\\.\\d+\\.\\d+ \\(Kubernetes v1\\.31\\.\\d+ kubelet behaviour\\) ${runtime} \\d+\\.\\d+\\.\\d+`,
    ),
  );
  assert.doesNotMatch(io.stdout(), /node/i);
});
