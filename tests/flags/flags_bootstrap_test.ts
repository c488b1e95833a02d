import { test } from "node:test";
import assert from "node:assert/strict";
import { cac } from "cac";
import {
  addBootstrapOptions,
  parseBootstrapFlags,
  parseUrlHeaders,
} from "../../src/flags/flags_bootstrap.ts";

/** Parses argv as the CLI does: cac with these options, then parseBootstrapFlags. */
function parseArgs(args: string[]) {
  const cli = cac("kubelet");
  addBootstrapOptions(cli);
  cli.option("--config <path>", "");
  const { options } = cli.parse(["kubelet", "kubelet", ...args], { run: false });
  return parseBootstrapFlags(options);
}

test("parseBootstrapFlags defaults to no URL, a 20s check, no run-once and the host's resolv.conf", () => {
  assert.deepEqual(parseArgs([]), {
    manifestUrl: undefined,
    manifestUrlHeaders: [],
    httpCheckFrequencyMs: 20_000,
    runOnce: false,
    resolvConf: "/etc/resolv.conf",
  });
});

test("parseBootstrapFlags reads every flag from a command line", () => {
  assert.deepEqual(
    parseArgs([
      "--manifest-url=http://127.0.0.1:18561/pods",
      "--manifest-url-header",
      "a:hello,b:again,c:world",
      "--manifest-url-header",
      "b:beautiful",
      "--http-check-frequency=5s",
      "--runonce",
      "--resolv-conf=/run/systemd/resolve/resolv.conf",
    ]),
    {
      manifestUrl: "http://127.0.0.1:18561/pods",
      manifestUrlHeaders: [["a", "hello"], ["b", "again"], ["c", "world"], ["b", "beautiful"]],
      httpCheckFrequencyMs: 5_000,
      runOnce: true,
      resolvConf: "/run/systemd/resolve/resolv.conf",
    },
  );
});

test("parseBootstrapFlags takes an empty --resolv-conf as no resolver configuration", () => {
  assert.equal(parseArgs(["--resolv-conf="]).resolvConf, "");
  assert.equal(parseArgs(["--resolv-conf", ""]).resolvConf, "");
});

test("parseUrlHeaders splits at the first colon, trims, and keeps a value's own colons", () => {
  assert.deepEqual(parseUrlHeaders([" Authorization : Bearer a:b ,", "X-Empty:"]), [
    ["Authorization", "Bearer a:b"],
    ["X-Empty", ""],
  ]);
});

for (
  const [args, message] of [
    [
      ["--manifest-url-header=nocolon"],
      /--manifest-url-header: malformed pair "nocolon", expect string:string/,
    ],
    [["--manifest-url-header=bad name:x"], /--manifest-url-header: "bad name" is not an HTTP header name/],
    [
      ["--manifest-url-header=X-Token:abc\r\nX-Injected: 1"],
      /--manifest-url-header: the value of "X-Token" holds a line break or NUL/,
    ],
    [
      ["--manifest-url-header=X-Token:abc\n"],
      /--manifest-url-header: the value of "X-Token" holds a line break/,
    ],
    [
      ["--manifest-url=file:///etc/pods.yaml"],
      /--manifest-url: "file:\/\/\/etc\/pods.yaml" is not an http or https URL/,
    ],
    [["--http-check-frequency=soon"], /--http-check-frequency: /],
    [["--http-check-frequency=0s"], /--http-check-frequency: must be greater than 0/],
    [["--runonce"], /--runonce: needs pods to run/],
  ] as const
) {
  test(`parseBootstrapFlags rejects ${args.join(" ")}`, () => {
    assert.throws(() => parseArgs([...args]), message);
  });
}

test("parseBootstrapFlags accepts --runonce with a manifest path", () => {
  assert.equal(parseArgs(["--runonce", "--config=/m"]).runOnce, true);
});
