import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDockerConfig } from "../../src/credentialprovider/docker_config.ts";

const b64 = (s: string) => btoa(s);

test("parseDockerConfig reads config.json auths from auth, from username/password and identity tokens", () => {
  const text = JSON.stringify({
    auths: {
      "127.0.0.1:5000": { auth: b64("alice:s3cr:et") },
      "https://index.docker.io/v1/": { username: "bob", password: "pw" },
      "ghcr.io": { auth: "", identitytoken: "tok" },
    },
    credsStore: "desktop",
  });
  assert.deepEqual(parseDockerConfig(text), [
    { registry: "127.0.0.1:5000", username: "alice", password: "s3cr:et" },
    { registry: "https://index.docker.io/v1/", username: "bob", password: "pw" },
    { registry: "ghcr.io", username: "", password: "", identityToken: "tok" },
  ]);
});

test("parseDockerConfig reads the legacy .dockercfg map", () => {
  assert.deepEqual(
    parseDockerConfig(JSON.stringify({ "registry.local": { auth: b64("u:p"), email: "x" } })),
    [
      { registry: "registry.local", username: "u", password: "p" },
    ],
  );
});

test("parseDockerConfig skips entries it cannot use and keeps the others", () => {
  const text = JSON.stringify({
    auths: {
      "no-colon": { auth: b64("justuser") },
      "not-base64": { auth: "%%%" },
      "empty-user": { auth: b64(":pw") },
      "nothing": {},
      "scalar": 3,
      "good": { auth: b64("u:p") },
    },
  });
  assert.deepEqual(parseDockerConfig(text), [{ registry: "good", username: "u", password: "p" }]);
});

test("parseDockerConfig throws on text that is not a JSON object", () => {
  assert.throws(() => parseDockerConfig("[1]"), /not a JSON object/);
  assert.throws(() => parseDockerConfig("{"));
});
