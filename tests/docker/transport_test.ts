import { test } from "node:test";
import assert from "node:assert/strict";
import { importQuery } from "../../src/docker/client.ts";
import { parseEndpoint, Transport } from "../../src/docker/transport.ts";
import { DockerError } from "../../src/docker/docker_error.ts";

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

/** A Transport over `answer`, with /_ping answered as Docker's API 1.41 and /version skipped. */
function over(answer: (req: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetchFn = (req: Request) => {
    const path = new URL(req.url).pathname;
    if (path === "/_ping") return Promise.resolve(new Response("OK", { headers: { "api-version": "1.41" } }));
    if (path.endsWith("/version")) return Promise.resolve(new Response("", { status: 500 }));
    requests.push(req);
    return Promise.resolve(answer(req));
  };
  return { requests, transport: new Transport(parseEndpoint("unix:///run/x.sock"), fetchFn) };
}

/** A body that never ends (until the request's signal aborts it, as fetch's does). */
function endless(req: Request): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode("{"));
      req.signal.addEventListener("abort", () => c.error(req.signal.reason));
    },
  });
}

/** An answer that never comes (until the request's signal aborts it, as fetch's does). */
function never(req: Request): Promise<Response> {
  if (req.signal.aborted) return Promise.reject(req.signal.reason);
  return new Promise((_, reject) => req.signal.addEventListener("abort", () => reject(req.signal.reason)));
}

test("negotiation refuses an Engine older than API 1.41, naming the call", async () => {
  const transport = new Transport(
    parseEndpoint("unix:///run/x.sock"),
    () => Promise.resolve(new Response("OK", { headers: { "api-version": "1.40" } })),
  );
  await assert.rejects(transport.negotiate(), (e: unknown) => {
    assert.ok(e instanceof DockerError);
    assert.equal(e.endpoint, "GET /_ping");
    assert.match(e.message, /1\.40 is older than 1\.41/);
    return true;
  });
});

test("a request carries the negotiated version, repeated query values and a JSON body", async () => {
  const { requests, transport } = over(() => Response.json({ ok: true }));
  const res = await transport.request("POST", "/containers/create", {
    query: { name: "x", label: ["a=1", "b"], skipped: undefined },
    body: { Image: "busybox" },
  });
  assert.deepEqual(await res.json(), { ok: true });
  const url = new URL(requests[0].url);
  assert.equal(url.pathname, "/v1.41/containers/create");
  assert.deepEqual([...url.searchParams], [["name", "x"], ["label", "a=1"], ["label", "b"]]);
  assert.equal(requests[0].headers.get("content-type"), "application/json");
  assert.deepEqual(await requests[0].json(), { Image: "busybox" });
});

test("an Engine error becomes a DockerError with the status, the call and the Engine's message", async () => {
  const { transport } = over(() => Response.json({ message: "No such container: abc" }, { status: 404 }));
  await assert.rejects(transport.request("GET", "/containers/abc/json"), (e: unknown) => {
    assert.ok(e instanceof DockerError);
    assert.equal(e.status, 404);
    assert.ok(e.notFound);
    assert.equal(e.endpoint, "GET /containers/abc/json");
    assert.equal(e.engineMessage, "No such container: abc");
    return true;
  });
});

test("a plain-text Engine error keeps its text as the message, and 304 is an answer, not an error", async () => {
  const { transport } = over((req) =>
    req.url.includes("/stop") ? new Response(null, { status: 304 }) : new Response("boom\n", { status: 500 })
  );
  assert.equal((await transport.request("POST", "/containers/a/stop")).status, 304);
  await assert.rejects(transport.request("GET", "/info"), { name: "DockerError", engineMessage: "boom" });
});

test("an unreachable Engine is a DockerError with status 0 naming the call and the endpoint", async () => {
  const transport = new Transport(
    parseEndpoint("tcp://127.0.0.1:1"),
    () => Promise.reject(new TypeError("refused")),
  );
  await assert.rejects(transport.request("GET", "/info"), (e: unknown) => {
    assert.ok(e instanceof DockerError);
    assert.equal(e.status, 0);
    assert.equal(e.endpoint, "GET /_ping at tcp://127.0.0.1:1");
    assert.match(e.message, /^docker engine unreachable .*refused/);
    return true;
  });
});

test("a call the Engine does not answer in time fails with a DockerError naming the call", async () => {
  const { transport } = over((req) => never(req));
  await assert.rejects(transport.request("GET", "/containers/json", { timeoutMs: 10 }), (e: unknown) => {
    assert.ok(e instanceof DockerError);
    assert.equal(e.status, 0);
    assert.equal(e.endpoint, "GET /containers/json at unix:///run/x.sock");
    assert.equal(e.engineMessage, "no answer within 0.01 s");
    return true;
  });
});

test("the deadline covers the answer's body: a body that never ends fails the call", async () => {
  const { transport } = over((req) => new Response(endless(req)));
  await assert.rejects(
    transport.request("GET", "/containers/json", { timeoutMs: 10 }),
    { name: "DockerError", engineMessage: "no answer within 0.01 s" },
  );
});

test("a call the caller aborts rejects with the caller's abort, not a deadline error", async () => {
  const { transport } = over((req) => never(req));
  const controller = new AbortController();
  const call = transport.request("GET", "/containers/json", { signal: controller.signal });
  controller.abort();
  await assert.rejects(
    call,
    (e: unknown) => !(e instanceof DockerError) && (e as Error).name === "AbortError",
  );
});

test("a stream's answer comes back unread and without a deadline", async () => {
  let pulled = 0;
  const { transport } = over(() =>
    new Response(
      new ReadableStream({
        pull(c) {
          pulled++;
          c.enqueue(new TextEncoder().encode("event\n"));
        },
      }, { highWaterMark: 0 }),
    )
  );
  const res = await transport.request("GET", "/events", { stream: true, timeoutMs: 1 });
  assert.equal(pulled, 0);
  const reader = res.body!.getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), "event\n");
  await reader.cancel();
});
