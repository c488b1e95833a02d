import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dockerConfigPaths, dockerKeyring } from "../../src/credentialprovider/docker_keyring.ts";
import { platform } from "../../src/platform/mod.ts";

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

test("dockerConfigPaths reads the kubelet's root dir first, then DOCKER_CONFIG or ~/.docker, then .dockercfg", () => {
  assert.deepEqual(dockerConfigPaths("/var/lib/kubelet", envOf({ HOME: "/root" })), [
    "/var/lib/kubelet/config.json",
    "/root/.docker/config.json",
    "/var/lib/kubelet/.dockercfg",
    "/root/.dockercfg",
  ]);
  assert.deepEqual(dockerConfigPaths("/k/", envOf({ DOCKER_CONFIG: "/etc/docker-client" })), [
    "/k/config.json",
    "/etc/docker-client/config.json",
    "/k/.dockercfg",
  ]);
});

test("dockerKeyring merges both files, the kubelet's entry first, and warns once about a bad file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "keyring-test-"));
  try {
    mkdirSync(join(dir, "root"));
    mkdirSync(join(dir, "docker"));
    writeFileSync(
      join(dir, "root/config.json"),
      JSON.stringify({ auths: { "reg.local": { auth: btoa("k:1") } } }),
    );
    writeFileSync(
      join(dir, "docker/config.json"),
      JSON.stringify({ auths: { "reg.local": { auth: btoa("d:2") } } }),
    );
    const warnings: string[] = [];
    const env = envOf({ DOCKER_CONFIG: join(dir, "docker") });
    const keyring = dockerKeyring({ ...platform, env }, join(dir, "root"), { warn: (m) => warnings.push(m) });
    assert.deepEqual((await keyring("reg.local/app")).map((c) => c.username), ["k", "d"]);
    assert.deepEqual(await keyring("busybox"), []);

    writeFileSync(join(dir, "root/config.json"), "{ not json");
    assert.deepEqual((await keyring("reg.local/app")).map((c) => c.username), ["d"]);
    await keyring("reg.local/app");
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0], /cannot read .*root\/config\.json/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("dockerKeyring finds nothing, silently, when no file exists", async () => {
  const warnings: string[] = [];
  const keyring = dockerKeyring({ ...platform, env: envOf({}) }, "/nonexistent-kubelet-root", {
    warn: (m) => warnings.push(m),
  });
  assert.deepEqual(await keyring("reg.local/app"), []);
  assert.deepEqual(warnings, []);
});
