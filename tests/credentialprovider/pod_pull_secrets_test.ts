import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../src/api/types.ts";
import { type ConfigObject, configObjectsOf, objectKey } from "../../src/api/config_objects.ts";
import { podPullSecrets } from "../../src/credentialprovider/pod_pull_secrets.ts";
import { lookupCredentials } from "../../src/credentialprovider/keyring.ts";

const enc = (s: string) => new TextEncoder().encode(s);

function secret(
  name: string,
  type: string,
  data: Record<string, string>,
  namespace = "default",
): ConfigObject {
  const bytes = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, enc(v)]));
  return { kind: "Secret", object: { namespace, name, type, data: bytes, immutable: false, origin: "/m" } };
}
const objects = (...held: ConfigObject[]) =>
  configObjectsOf(new Map(held.map((h) => [objectKey({ kind: h.kind, ...h.object }), h])));
const pod = (names: string[], namespace = "default") =>
  ({
    metadata: { name: "p", namespace },
    spec: { containers: [], imagePullSecrets: names.map((name) => ({ name })) },
  }) as Pod;

const json = (auths: Record<string, unknown>) => JSON.stringify({ auths });

test("podPullSecrets reads dockerconfigjson and dockercfg Secrets in the pod's order; other types give nothing", () => {
  const held = objects(
    secret("json", "kubernetes.io/dockerconfigjson", {
      ".dockerconfigjson": json({ "127.0.0.1:5000": { auth: btoa("u1:p1") } }),
    }),
    secret("cfg", "kubernetes.io/dockercfg", {
      ".dockercfg": JSON.stringify({ "reg.local": { username: "u2", password: "p2" } }),
    }),
    secret("opaque", "Opaque", { ".dockerconfigjson": json({ "reg.local": { auth: btoa("u3:p3") } }) }),
  );
  const { credentials, missing } = podPullSecrets(pod(["cfg", "opaque", "json", "gone"]), held);
  assert.deepEqual(credentials, [
    { registry: "reg.local", username: "u2", password: "p2" },
    { registry: "127.0.0.1:5000", username: "u1", password: "p1" },
  ]);
  assert.deepEqual(missing, ["gone"]);
});

test("podPullSecrets looks in the pod's namespace only", () => {
  const held = objects(
    secret("s", "kubernetes.io/dockerconfigjson", { ".dockerconfigjson": json({}) }, "other"),
  );
  assert.deepEqual(podPullSecrets(pod(["s"]), held).missing, ["s"]);
});

test("a pod's credentials are matched to the image's registry as the keyring matches them", () => {
  const held = objects(secret("s", "kubernetes.io/dockerconfigjson", {
    ".dockerconfigjson": json({
      "https://127.0.0.1:16000/v2/": { auth: btoa("a:x") },
      "127.0.0.1:16000/team": { auth: btoa("b:y") },
      "docker.io": { auth: btoa("c:z") },
    }),
  }));
  const { credentials } = podPullSecrets(pod(["s"]), held);
  assert.deepEqual(lookupCredentials(credentials, "127.0.0.1:16000/team/app:1").map((c) => c.username), [
    "b",
    "a",
  ]);
  assert.deepEqual(lookupCredentials(credentials, "busybox").map((c) => c.username), ["c"]);
  assert.deepEqual(lookupCredentials(credentials, "127.0.0.1:5000/app").map((c) => c.username), []);
});
