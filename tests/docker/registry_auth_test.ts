import { test } from "node:test";
import assert from "node:assert/strict";
import { registryAuthHeader } from "../../src/docker/registry_auth.ts";

test("registryAuthHeader is base64url JSON that decodes back to the AuthConfig", () => {
  const auth = { username: "ä?>", password: "p?~/+", serveraddress: "127.0.0.1:5000" };
  const header = registryAuthHeader(auth);
  assert.doesNotMatch(header, /[+/]/);
  const std = header.replaceAll("-", "+").replaceAll("_", "/");
  const json = new TextDecoder().decode(Uint8Array.from(atob(std), (c) => c.charCodeAt(0)));
  assert.deepEqual(JSON.parse(json), auth);
});
