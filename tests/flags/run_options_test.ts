import { test } from "node:test";
import assert from "node:assert/strict";
import { addRunOptions, parseRunFlags } from "../../src/flags/run_options.ts";
import { kubeletConfig } from "../../src/flags/kubelet_config.ts";
import { FlagError } from "../../src/flags/flag_error.ts";
import type { Platform } from "../../src/platform/types.ts";

const noEnv = () => undefined;

test("addRunOptions declares every flag of the run command once, the bootstrap ones included", () => {
  const raws: string[] = [];
  addRunOptions({ option: (raw: string) => raws.push(raw) });
  const names = raws.map((raw) => raw.split(" ")[0].replace(/,$/, ""));
  for (
    const name of [
      "--config",
      "--pod-manifest-path",
      "--read-only-port",
      "--root-dir",
      "--logging-format",
      "-v",
      "--manifest-url",
      "--runonce",
    ]
  ) assert.ok(names.includes(name), name);
  assert.equal(new Set(names).size, names.length);
});

test("parseRunFlags gives the kubelet's flags and the log's from one set of options", () => {
  const { flags, log } = parseRunFlags(
    { podManifestPath: "/m", loggingFormat: "json", v: "4" },
    noEnv,
    "Node1",
  );
  assert.equal(flags.manifestPath, "/m");
  assert.equal(flags.nodeName, "node1");
  assert.equal(log.format, "json");
  assert.equal(log.verbosity, 4);
});

test("parseRunFlags throws a FlagError naming a bad flag", () => {
  assert.throws(
    () => parseRunFlags({ podManifestPath: "/m", readOnlyPort: "99999" }, noEnv, "n"),
    (e: unknown) => e instanceof FlagError && e.message.startsWith("--read-only-port"),
  );
});

test("kubeletConfig takes the node, directories, image and resync period from the flags", () => {
  const { flags } = parseRunFlags(
    { podManifestPath: "/m", rootDir: "/r", syncFrequency: "30s" },
    noEnv,
    "n1",
  );
  const config = kubeletConfig(flags, {} as Platform);
  assert.equal(config.nodeName, "n1");
  assert.equal(config.rootDir, "/r");
  assert.equal(config.syncFrequencyMs, 30_000);
  assert.equal(config.podInfraContainerImage, flags.podInfraContainerImage);
  assert.equal(config.metrics, undefined);
  assert.ok(config.podHost);
});
