import { test } from "node:test";
import assert from "node:assert/strict";
import { importQuery } from "../../src/docker/client.ts";
import { parseEndpoint, Transport } from "../../src/docker/transport.ts";

/** An engine that answers /_ping with `pingHeaders` and /version with `version`; records the paths asked. */
function engine(pingHeaders: Record<string, string>, version: unknown) {
  const asked: string[] = [];
  const fetchFn = (req: Request) => {
    const path = new URL(req.url).pathname;
    asked.push(path);
    if (path === "/_ping") return Promise.resolve(new Response("OK", { headers: pingHeaders }));
    if (path.endsWith("/version")) return Promise.resolve(Response.json(version));
    return Promise.resolve(new Response("{}", { status: 404 }));
  };
  return { asked, transport: new Transport(parseEndpoint("unix:///run/x.sock"), fetchFn) };
}

test("negotiation takes Podman from its /_ping header without the slow /version call", async () => {
  const { asked, transport } = engine({ "api-version": "1.41", "libpod-api-version": "4.3.1" }, {});
  assert.equal(await transport.negotiate(), "1.41");
  assert.deepEqual(transport.engine, { kind: "podman", version: "4.3.1" });
  assert.deepEqual(asked, ["/_ping"]);
});

test("negotiation asks /version when /_ping names no libpod, and finds Docker or Podman there", async () => {
  const docker = engine({ "api-version": "1.52" }, { Version: "29.0.1", Components: [{ Name: "Engine" }] });
  assert.equal(await docker.transport.negotiate(), "1.45");
  assert.deepEqual(docker.transport.engine, { kind: "docker", version: "29.0.1" });
  assert.deepEqual(docker.asked, ["/_ping", "/v1.45/version"]);
  const podman = engine({ "api-version": "1.41" }, {
    Components: [{ Name: "Podman Engine", Version: "5.2.0" }],
  });
  await podman.transport.negotiate();
  assert.deepEqual(podman.transport.engine, { kind: "podman", version: "5.2.0" });
});

test("importQuery puts the tag in repo for Podman, whose import reads no tag parameter", () => {
  const changes = ['ENTRYPOINT ["/pause"]'];
  assert.deepEqual(importQuery("docker", "standalone-kubelet/pause", "1.0", changes), {
    fromSrc: "-",
    repo: "standalone-kubelet/pause",
    tag: "1.0",
    changes,
  });
  assert.deepEqual(importQuery("podman", "standalone-kubelet/pause", "1.0", changes), {
    fromSrc: "-",
    repo: "standalone-kubelet/pause:1.0",
    changes,
  });
});
