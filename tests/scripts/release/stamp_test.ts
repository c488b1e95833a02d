import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildStamp, defineArgs } from "../../../scripts/release/stamp.ts";
import { shortVersion, SOURCE_VERSION, VERSION, versionText } from "../../../src/version.ts";

test("buildStamp takes the version and the short commit of a clean tree", () => {
  assert.deepEqual(buildStamp("0.1.0", "830f9f7e34b9\n", ""), { version: "0.1.0", commit: "830f9f7e34b9" });
});

test("buildStamp marks the commit -dirty when git status lists a change", () => {
  assert.deepEqual(buildStamp("1.2.3-rc.1", "830f9f7e34b9", " M src/cli.ts\n"), {
    version: "1.2.3-rc.1",
    commit: "830f9f7e34b9-dirty",
  });
});

test("buildStamp outside a git checkout stamps the version only", () => {
  assert.deepEqual(buildStamp("0.1.0", undefined), { version: "0.1.0" });
});

test("buildStamp refuses a version that is not semver and a HEAD that is not a commit id", () => {
  assert.throws(() => buildStamp("v0.1", "830f9f7e34b9"), /not semver/);
  assert.throws(() => buildStamp("0.1.0", "fatal: not a git repository"), /not a commit id/);
  assert.throws(() => buildStamp("0.1.0", '830f9f7"; rm -rf /'), /not a commit id/);
});

test("defineArgs turns the stamp into bun build --define string literals", () => {
  assert.deepEqual(defineArgs({ version: "0.1.0", commit: "830f9f7e34b9-dirty" }), [
    "--define",
    'STANDALONE_KUBELET_VERSION="0.1.0"',
    "--define",
    'STANDALONE_KUBELET_COMMIT="830f9f7e34b9-dirty"',
  ]);
  assert.deepEqual(defineArgs({ version: "0.1.0" }), ["--define", 'STANDALONE_KUBELET_VERSION="0.1.0"']);
});

test("an unstamped run reports package.json's version and no commit", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8"));
  assert.equal(SOURCE_VERSION, pkg.version, "src/version.ts SOURCE_VERSION must follow package.json");
  assert.equal(VERSION, SOURCE_VERSION);
  assert.equal(versionText(), `standalone-kubelet ${pkg.version} (Kubernetes v1.31.0 kubelet behaviour)`);
  assert.equal(shortVersion(), `Kubernetes v1.31.0-standalone.${pkg.version}`);
});

test("versionText names the commit of a stamped build", () => {
  assert.equal(
    versionText("0.2.0", "830f9f7e34b9"),
    "standalone-kubelet 0.2.0 (commit 830f9f7e34b9, Kubernetes v1.31.0 kubelet behaviour)",
  );
  assert.equal(
    shortVersion("0.2.0", "830f9f7e34b9-dirty"),
    "Kubernetes v1.31.0-standalone.0.2.0+830f9f7e34b9-dirty",
  );
});
