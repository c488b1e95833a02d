import { test } from "node:test";
import assert from "node:assert/strict";
import { detectEngine } from "../../src/docker/engine_kind.ts";

/** `/_ping` and `/version` as Podman 4.3's compatible service answers them, in part. */
const PODMAN_PING = new Headers({
  "api-version": "1.41",
  "libpod-api-version": "4.3.1",
  server: "Libpod/4.3.1 (linux)",
});
const PODMAN_VERSION = {
  Version: "4.3.1",
  ApiVersion: "1.41",
  Components: [
    { Name: "Podman Engine", Version: "4.3.1" },
    { Name: "Conmon", Version: "conmon version 2.1.6" },
    { Name: "OCI Runtime (runc)", Version: "runc version 1.1.5" },
  ],
};
/** The same of Docker 29. */
const DOCKER_PING = new Headers({
  "api-version": "1.52",
  "docker-experimental": "false",
  server: "Docker/29.0.1",
});
const DOCKER_VERSION = {
  Version: "29.0.1",
  Components: [{ Name: "Engine", Version: "29.0.1" }, { Name: "containerd", Version: "1.7.28" }],
};

test("detectEngine finds Podman by its /_ping header and its /version component", () => {
  assert.deepEqual(detectEngine(PODMAN_PING, PODMAN_VERSION), { kind: "podman", version: "4.3.1" });
});

test("detectEngine finds Podman by /version alone when a proxy dropped the libpod header", () => {
  assert.deepEqual(detectEngine(new Headers({ "api-version": "1.41" }), PODMAN_VERSION), {
    kind: "podman",
    version: "4.3.1",
  });
});

test("detectEngine finds Podman by the /_ping header alone when /version could not be read", () => {
  assert.deepEqual(detectEngine(PODMAN_PING, undefined), { kind: "podman", version: "4.3.1" });
});

test("detectEngine takes Docker for Docker, and an engine that says nothing for Docker", () => {
  assert.deepEqual(detectEngine(DOCKER_PING, DOCKER_VERSION), { kind: "docker", version: "29.0.1" });
  assert.deepEqual(detectEngine(new Headers(), undefined), { kind: "docker", version: "" });
  // A /version of the wrong shape is no reason to fail.
  assert.deepEqual(detectEngine(new Headers(), { Components: null }), { kind: "docker", version: "" });
});

test("detectEngine keeps a version fit for a log line, whatever /version sent", () => {
  assert.equal(detectEngine(new Headers(), { Version: "9".repeat(500) }).version.length, 64);
  assert.equal(detectEngine(new Headers(), { Version: 42 as unknown as string }).version, "");
});
