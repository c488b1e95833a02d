import { test } from "node:test";
import assert from "node:assert/strict";
import { imageLocation, keyLocation, lookupCredentials } from "../../src/credentialprovider/keyring.ts";

test("imageLocation names the registry host and repository path of an image", () => {
  const cases: [string, string, string][] = [
    ["busybox", "docker.io", "library/busybox"],
    ["busybox:1.36", "docker.io", "library/busybox"],
    ["team/app:1", "docker.io", "team/app"],
    ["127.0.0.1:5000/team/app:1.0", "127.0.0.1:5000", "team/app"],
    ["localhost/app", "localhost", "app"],
    ["Registry.Example.com/a/b/c@sha256:abc", "registry.example.com", "a/b/c"],
  ];
  for (const [image, host, path] of cases) assert.deepEqual(imageLocation(image), { host, path }, image);
});

test("keyLocation strips the scheme and docker login's API suffixes and maps Docker Hub's names", () => {
  assert.deepEqual(keyLocation("https://index.docker.io/v1/"), { host: "docker.io", path: "" });
  assert.deepEqual(keyLocation("http://127.0.0.1:5000/v2/"), { host: "127.0.0.1:5000", path: "" });
  assert.deepEqual(keyLocation("registry.local/team/"), { host: "registry.local", path: "team" });
});

const cred = (registry: string) => ({ registry, username: registry, password: "p" });

test("lookupCredentials matches the host exactly and paths as prefixes, most specific first", () => {
  const all = [
    cred("registry.local"),
    cred("registry.local/team"),
    cred("registry.local/teammate"),
    cred("other"),
  ];
  assert.deepEqual(
    lookupCredentials(all, "registry.local/team/app:1").map((c) => c.registry),
    ["registry.local/team", "registry.local"],
  );
  assert.deepEqual(lookupCredentials(all, "registry.local:5000/team/app"), []);
  assert.deepEqual(lookupCredentials(all, "busybox"), []);
});

test("lookupCredentials finds Docker Hub credentials for an image without a host", () => {
  assert.deepEqual(lookupCredentials([cred("https://index.docker.io/v1/")], "nginx").length, 1);
});
