import { test } from "node:test";
import assert from "node:assert/strict";
import type { DockerClient } from "../../src/docker/client.ts";
import type { RegistryAuth } from "../../src/docker/registry_auth.ts";
import { createLogger } from "../../src/log.ts";
import { ImagePuller } from "../../src/runtime/image_puller.ts";
import type { RegistryCredential } from "../../src/credentialprovider/docker_config.ts";

/** An engine that has no image and accepts a pull only with `accept`'s user (any user when undefined). */
function engine(accept?: string) {
  const pulls: (RegistryAuth | undefined)[] = [];
  const docker = {
    engine: { kind: "docker", version: "" },
    inspectImage: () => Promise.resolve(null),
    pullImage: (_ref: string, _progress: unknown, _signal: unknown, auth?: RegistryAuth) => {
      pulls.push(auth);
      if (accept !== undefined && auth?.username !== accept) {
        return Promise.reject(new Error("unauthorized: authentication required"));
      }
      return Promise.resolve();
    },
  } as unknown as DockerClient;
  return { docker, pulls };
}

const cred = (registry: string, username: string): RegistryCredential => ({
  registry,
  username,
  password: "pw",
});
const container = { name: "c", image: "reg.local/team/app:1", imagePullPolicy: "Always" as const };
const log = createLogger({ write: () => {} });

test("ImagePuller tries each matching credential in turn and stops at the first that pulls", async () => {
  const { docker, pulls } = engine("second");
  const keyring = () => Promise.resolve([cred("reg.local/team", "first"), cred("reg.local", "second")]);
  const puller = new ImagePuller(docker, log, Date.now, keyring);
  assert.equal(await puller.ensure(container, "p"), undefined);
  assert.deepEqual(pulls.map((a) => a?.username), ["first", "second"]);
  assert.deepEqual(pulls[1], { username: "second", password: "pw", serveraddress: "reg.local" });
});

test("ImagePuller pulls anonymously when no credential matches, and reports the last failure", async () => {
  const anonymous = engine();
  assert.equal(await new ImagePuller(anonymous.docker, log).ensure(container, "p"), undefined);
  assert.deepEqual(anonymous.pulls, [undefined]);

  const refused = engine("nobody");
  const keyring = () => Promise.resolve([cred("reg.local", "a"), cred("reg.local", "b")]);
  const failure = await new ImagePuller(refused.docker, log, Date.now, keyring).ensure(container, "p");
  assert.equal(failure?.reason, "ErrImagePull");
  assert.match(failure!.message, /unauthorized/);
  assert.deepEqual(refused.pulls.map((a) => a?.username), ["a", "b"]);
});

test("ImagePuller sends an identity token in place of the password", async () => {
  const { docker, pulls } = engine();
  const keyring = () =>
    Promise.resolve([{ registry: "reg.local", username: "", password: "", identityToken: "tok" }]);
  await new ImagePuller(docker, log, Date.now, keyring).ensure(container, "p");
  assert.deepEqual(pulls, [{ username: "", password: "", serveraddress: "reg.local", identitytoken: "tok" }]);
});

test("ImagePuller tries a pod's pull-secret credentials that match before the node's own, skipping those that do not", async () => {
  const { docker, pulls } = engine("node");
  const keyring = () => Promise.resolve([cred("reg.local", "node")]);
  const puller = new ImagePuller(docker, log, Date.now, keyring);
  const credentials = [
    cred("other.local", "elsewhere"),
    cred("reg.local", "pod-wide"),
    cred("reg.local/team", "pod"),
  ];
  assert.equal(
    await puller.ensureImage(container, "p", undefined, { uid: "u1", credentials }).then((r) => r.failure),
    undefined,
  );
  assert.deepEqual(pulls.map((a) => a?.username), ["pod", "pod-wide", "node"]);
});

test("ImagePuller backs off per pod: another pod's failed pull of the image does not hold up this one", async () => {
  const { docker, pulls } = engine("pod");
  const puller = new ImagePuller(docker, log, Date.now);
  const failed = await puller.ensureImage(container, "a", undefined, { uid: "a" });
  assert.equal(failed.failure?.reason, "ErrImagePull");
  const again = await puller.ensureImage(container, "a", undefined, { uid: "a" });
  assert.equal(again.failure?.reason, "ImagePullBackOff");
  const other = await puller.ensureImage(container, "b", undefined, {
    uid: "b",
    credentials: [cred("reg.local", "pod")],
  });
  assert.equal(other.failure, undefined);
  assert.deepEqual(pulls.map((a) => a?.username), [undefined, "pod"]);
});
