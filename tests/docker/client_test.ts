import { test } from "node:test";
import assert from "node:assert/strict";
import { DockerClient } from "../../src/docker/client.ts";
import { DockerError } from "../../src/docker/docker_error.ts";
import { parseEndpoint, Transport } from "../../src/docker/transport.ts";

/** A client whose Engine answers each call with `answer` (after a /_ping of API 1.41); records the calls. */
function client(
  answer: (method: string, path: string, url: URL, req: Request) => Response | Promise<Response>,
) {
  const calls: string[] = [];
  const fetchFn = (req: Request) => {
    const url = new URL(req.url);
    if (url.pathname === "/_ping") {
      return Promise.resolve(
        new Response("OK", { headers: { "api-version": "1.41", "libpod-api-version": "4.3.1" } }),
      );
    }
    const path = url.pathname.replace(/^\/v1\.41/, "");
    calls.push(`${req.method} ${path}${url.search}`);
    return Promise.resolve(answer(req.method, path, url, req));
  };
  return { calls, docker: new DockerClient(new Transport(parseEndpoint("unix:///x.sock"), fetchFn)) };
}

const status = (code: number, message = "") =>
  code === 204 || code === 304
    ? new Response(null, { status: code })
    : Response.json({ message }, { status: code });

test("listContainers asks for every state with the label filters as the Engine's JSON", async () => {
  const { calls, docker } = client(() => Response.json([{ Id: "a" }]));
  assert.deepEqual(
    await docker.listContainers(["io.kubernetes.standalone.node=n1", "io.kubernetes.pod.uid"]),
    [
      { Id: "a" },
    ],
  );
  const url = new URL(`http://x${calls[0].slice("GET ".length)}`);
  assert.equal(url.searchParams.get("all"), "true");
  assert.deepEqual(JSON.parse(url.searchParams.get("filters")!), {
    label: ["io.kubernetes.standalone.node=n1", "io.kubernetes.pod.uid"],
  });
});

test("inspectContainer and inspectImage resolve null for a 404, and throw any other error", async () => {
  const { docker } = client((_m, path) =>
    path.includes("gone") ? status(404, "no such") : status(500, "broken")
  );
  assert.equal(await docker.inspectContainer("gone"), null);
  assert.equal(await docker.inspectImage("gone:1"), null);
  await assert.rejects(
    docker.inspectContainer("x"),
    (e: unknown) => e instanceof DockerError && e.status === 500,
  );
});

test("createContainer names the container and resolves the Engine's ID", async () => {
  const { calls, docker } = client(() => Response.json({ Id: "abc" }, { status: 201 }));
  assert.equal(
    await docker.createContainer("k8s_main_p_default_u_0", { Image: "busybox", HostConfig: {} }),
    "abc",
  );
  assert.deepEqual(calls, ["POST /containers/create?name=k8s_main_p_default_u_0"]);
});

test("stopContainer gives the Engine whole seconds and the stop signal, and takes 304 and 404 as stopped", async () => {
  for (const code of [204, 304, 404]) {
    const { calls, docker } = client(() => status(code));
    await docker.stopContainer("a", 2.2, "SIGQUIT");
    assert.deepEqual(calls, ["POST /containers/a/stop?t=3&signal=SIGQUIT"]);
  }
  const { docker } = client(() => status(500, "cannot stop"));
  await assert.rejects(docker.stopContainer("a", 1), /cannot stop/);
});

test("killContainer takes a container that is not running (409) or gone (404) as done", async () => {
  for (const code of [204, 404, 409]) await client(() => status(code)).docker.killContainer("a");
  await assert.rejects(client(() => status(500, "x")).docker.killContainer("a"), { name: "DockerError" });
});

test("removeContainer removes with force and volumes, and takes a gone container as removed", async () => {
  const { calls, docker } = client(() => status(404));
  await docker.removeContainer("a");
  assert.deepEqual(calls, ["DELETE /containers/a?force=true&v=true"]);
});

test("waitContainer resolves true when the container stops or is gone, false when the time runs out", async () => {
  assert.equal(await client(() => Response.json({ StatusCode: 0 })).docker.waitContainer("a", 30_000), true);
  assert.equal(await client(() => status(404)).docker.waitContainer("a", 30_000), true);
  const { docker } = client((_m, _p, _u, req) =>
    new Promise((_, reject) => {
      if (req.signal.aborted) reject(req.signal.reason);
      req.signal.addEventListener("abort", () => reject(req.signal.reason));
    })
  );
  assert.equal(await docker.waitContainer("a", 5), false);
});

test("exec keeps the command's stdout and stderr (demultiplexed) and its exit code", async () => {
  const frame = (type: number, text: string) => {
    const payload = new TextEncoder().encode(text);
    const out = new Uint8Array(8 + payload.length);
    out[0] = type;
    new DataView(out.buffer).setUint32(4, payload.length);
    out.set(payload, 8);
    return out;
  };
  const { calls, docker } = client((method, path) => {
    if (path === "/containers/a/exec") return Response.json({ Id: "e1" }, { status: 201 });
    if (path === "/exec/e1/start") {
      return new Response(new Uint8Array([...frame(1, "out\n"), ...frame(2, "err\n")]));
    }
    if (method === "GET" && path === "/exec/e1/json") return Response.json({ ExitCode: 3 });
    return status(404);
  });
  assert.deepEqual(await docker.exec("a", ["sh", "-c", "x"]), { exitCode: 3, output: "out\nerr\n" });
  assert.deepEqual(calls, ["POST /containers/a/exec", "POST /exec/e1/start", "GET /exec/e1/json"]);
});
