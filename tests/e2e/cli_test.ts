/**
 * The binary's command line: bad flag values are a one-line error and exit
 * code 2; --version and --help answer.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { BINARY } from "./_harness.ts";

const kubelet = (...args: string[]) => spawnSync(BINARY, args, { encoding: "utf8", timeout: 10_000 });

for (
  const [args, pattern] of [
    [["--file-check-frequency=soon"], /--file-check-frequency: invalid duration "soon"/],
    [["--sync-frequency=10x"], /--sync-frequency: invalid duration/],
    [["--read-only-port=70000"], /--read-only-port: 70000 is not a port/],
    [["--hostname-override=Bad_Name"], /--hostname-override: "bad_name" is not a valid node name/],
    [["--root-dir=relative"], /--root-dir: "relative" must be an absolute path/],
    [["--bogus-flag"], /Unknown option `--bogus(Flag|-flag)`/],
    [["--docker-endpoint=ftp://x"], /docker endpoint "ftp:\/\/x"/],
  ] as const
) {
  test(`kubelet ${args.join(" ")} exits 2 with one line naming the flag`, () => {
    const r = kubelet(...args);
    assert.equal(r.status, 2, r.stderr);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], pattern);
  });
}

test("kubelet --version prints the version and exits 0", () => {
  const r = kubelet("--version");
  assert.equal(r.status, 0);
  assert.match(r.stdout, /standalone-kubelet \d+\.\d+\.\d+/);
});

test("kubelet --help lists the kubelet's flag names", () => {
  const r = kubelet("--help");
  assert.equal(r.status, 0);
  for (
    const flag of [
      "--config",
      "--pod-manifest-path",
      "--file-check-frequency",
      "--sync-frequency",
      "--hostname-override",
      "--docker-endpoint",
      "--read-only-port",
      "--address",
      "--root-dir",
      "--pod-infra-container-image",
    ]
  ) {
    assert.ok(r.stdout.includes(flag), `--help mentions ${flag}`);
  }
});
