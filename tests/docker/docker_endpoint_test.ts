import { test } from "node:test";
import assert from "node:assert/strict";
import { dockerEndpoint, dockerTlsPaths } from "../../src/docker/docker_endpoint.ts";
import type { FetchFn, TlsFiles } from "../../src/platform/types.ts";

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

test("dockerTlsPaths is off without DOCKER_TLS_VERIFY and reads the docker CLI's file names with it", () => {
  assert.equal(dockerTlsPaths(envOf({ HOME: "/root" })), undefined);
  assert.equal(dockerTlsPaths(envOf({ DOCKER_TLS_VERIFY: "" })), undefined);
  assert.deepEqual(dockerTlsPaths(envOf({ DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/certs/" })), {
    ca: "/certs/ca.pem",
    cert: "/certs/cert.pem",
    key: "/certs/key.pem",
  });
  assert.deepEqual(
    dockerTlsPaths(envOf({ DOCKER_TLS_VERIFY: "1", HOME: "/home/k" }))?.ca,
    "/home/k/.docker/ca.pem",
  );
});

test("dockerTlsPaths refuses TLS without verification and a verify with nowhere to look", () => {
  assert.throws(() => dockerTlsPaths(envOf({ DOCKER_TLS: "1" })), /set DOCKER_TLS_VERIFY=1/);
  assert.throws(() => dockerTlsPaths(envOf({ DOCKER_TLS_VERIFY: "1" })), /neither DOCKER_CERT_PATH nor HOME/);
});

function fakePlatform(env: Record<string, string>, files: Record<string, string>) {
  const calls = { tls: [] as TlsFiles[], unix: [] as string[], reads: 0 };
  const answer: FetchFn = (request) => Promise.resolve(new Response(request.url));
  return {
    calls,
    platform: {
      env: envOf(env),
      unixFetch: (path: string) => (calls.unix.push(path), answer),
      tlsFetch: (tls: TlsFiles) => (calls.tls.push(tls), answer),
      readTextFile: (path: string) => {
        calls.reads++;
        return path in files ? Promise.resolve(files[path]) : Promise.reject(new Error("No such file"));
      },
    },
  };
}

test("dockerEndpoint sends tcp:// endpoints over https with the PEM files, read once", async () => {
  const { platform, calls } = fakePlatform(
    { DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/c" },
    { "/c/ca.pem": "CA", "/c/cert.pem": "CERT", "/c/key.pem": "KEY" },
  );
  const { endpoint, fetchFn } = dockerEndpoint(platform, "tcp://127.0.0.1:2376");
  assert.equal(endpoint.base, "https://127.0.0.1:2376");
  assert.equal(
    await (await fetchFn(new Request(`${endpoint.base}/_ping`))).text(),
    "https://127.0.0.1:2376/_ping",
  );
  await fetchFn(new Request(`${endpoint.base}/version`));
  assert.deepEqual(calls.tls, [{ ca: "CA", cert: "CERT", key: "KEY" }]);
  assert.equal(calls.reads, 3);
});

test("dockerEndpoint names the certificate file it cannot read", async () => {
  const { platform } = fakePlatform({ DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/c" }, {
    "/c/ca.pem": "CA",
  });
  const { fetchFn } = dockerEndpoint(platform, "tcp://127.0.0.1:2376");
  await assert.rejects(fetchFn(new Request("https://127.0.0.1:2376/_ping")), /cannot read \/c\/cert\.pem/);
});

test("dockerEndpoint keeps unix sockets and plain tcp as they were", () => {
  const { platform, calls } = fakePlatform({ DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/c" }, {});
  assert.equal(dockerEndpoint(platform, "unix:///var/run/docker.sock").endpoint.base, "http://docker");
  assert.deepEqual(calls.unix, ["/var/run/docker.sock"]);
  const plain = fakePlatform({}, {});
  assert.equal(dockerEndpoint(plain.platform, "tcp://127.0.0.1:2375").endpoint.base, "http://127.0.0.1:2375");
  assert.deepEqual(plain.calls.tls, []);
});
