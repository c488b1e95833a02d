import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { platform } from "../../src/platform/mod.ts";
import type { Server } from "../../src/platform/types.ts";
import { HttpSourceError, type HttpSourceState, readHttpSource } from "../../src/config/http_source.ts";

// Ports of this file, picked by the system (so that two runs at once never share one): a server on
// the port of URL, nothing on CLOSED.
let URL = "";
let CLOSED = 0;

const pod = (name: string, image = "busybox") =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: ${image}\n`;

/** What the server answers next, and what it was asked. */
let reply: () => Response | Promise<Response> = () => new Response("");
const requests: Headers[] = [];
let server: Server;
let release: () => void = () => {};

before(async () => {
  server = await platform.serve({ hostname: "127.0.0.1", port: 0 }, (request) => {
    requests.push(new Headers(request.headers));
    return reply();
  });
  URL = opts.url = `http://127.0.0.1:${server.port}/pods`;
  const closed = await platform.serve({ hostname: "127.0.0.1", port: 0 }, () => new Response(""));
  CLOSED = closed.port;
  await closed.close();
});
after(async () => {
  release();
  await server.close();
});

const opts = { url: "", nodeName: "node1", now: () => new Date(0) };

test("readHttpSource reads a pod, names it for the node and keeps the response for the next read", async () => {
  reply = () => new Response(pod("web"));
  const result = await readHttpSource({}, opts);
  assert.ok(result.changed);
  assert.deepEqual(result.snapshot.pods.map((p) => [p.pod.metadata.name, p.origin]), [["web-node1", URL]]);
  assert.equal(result.snapshot.pods[0].pod.metadata.annotations?.["kubernetes.io/config.source"], "http");
  assert.deepEqual(result.state, { etag: undefined, body: pod("web") });
  assert.deepEqual(await readHttpSource(result.state, opts), { changed: false });
});

test("readHttpSource reads a PodList and several YAML documents", async () => {
  reply = () =>
    new Response(
      JSON.stringify({
        apiVersion: "v1",
        kind: "PodList",
        items: [{ metadata: { name: "a" }, spec: { containers: [{ name: "c", image: "x" }] } }],
      }),
    );
  const list = await readHttpSource({}, opts);
  assert.deepEqual(list.changed && list.snapshot.pods.map((p) => p.pod.metadata.name), ["a-node1"]);
  reply = () => new Response(`${pod("a")}---\n${pod("b")}`);
  const docs = await readHttpSource({}, opts);
  assert.deepEqual(docs.changed && docs.snapshot.pods.map((p) => p.pod.metadata.name), [
    "a-node1",
    "b-node1",
  ]);
});

test("readHttpSource sends the configured headers, repeated names included, and If-None-Match once it has an ETag", async () => {
  requests.length = 0;
  reply = () => new Response(pod("web"), { headers: { etag: '"v1"' } });
  const first = await readHttpSource({}, {
    ...opts,
    headers: [["Authorization", "Bearer t"], ["X-Env", "a"], ["X-Env", "b"]],
  });
  assert.ok(first.changed);
  assert.equal(first.state.etag, '"v1"');
  reply = () => new Response(null, { status: 304 });
  assert.deepEqual(await readHttpSource(first.state, opts), { changed: false });
  assert.equal(requests[0].get("authorization"), "Bearer t");
  assert.equal(requests[0].get("x-env"), "a, b");
  assert.equal(requests[0].get("if-none-match"), null);
  assert.equal(requests[1].get("if-none-match"), '"v1"');
});

test("readHttpSource gives a changed body's pods, under a new UID", async () => {
  reply = () => new Response(pod("web"));
  const v1 = await readHttpSource({}, opts);
  reply = () => new Response(pod("web", "nginx"));
  const v2 = await readHttpSource(v1.changed ? v1.state : {}, opts);
  assert.ok(v1.changed && v2.changed);
  assert.notEqual(v1.snapshot.pods[0].pod.metadata.uid, v2.snapshot.pods[0].pod.metadata.uid);
});

test("readHttpSource throws naming the URL and status for an answer that is not 200", async () => {
  reply = () => new Response("oops", { status: 503, statusText: "Service Unavailable" });
  await assert.rejects(
    readHttpSource({}, opts),
    (e: unknown) => e instanceof HttpSourceError && e.message === `${URL}: 503 Service Unavailable`,
  );
});

test("readHttpSource throws naming the URL when nothing listens", async () => {
  const url = `http://127.0.0.1:${CLOSED}/pods`;
  await assert.rejects(
    readHttpSource({}, { ...opts, url }),
    (e: unknown) => e instanceof HttpSourceError && e.message.startsWith(`${url}: `),
  );
});

test("readHttpSource gives up on a server that does not answer in time", async () => {
  reply = () => new Promise((resolve) => (release = () => resolve(new Response(""))));
  await assert.rejects(
    readHttpSource({}, { ...opts, timeoutMs: 300 }),
    (e: unknown) => e instanceof HttpSourceError && e.message === `${URL}: no response within 0.3s`,
  );
  release();
});

test("readHttpSource marks a body that is not a pod as failed, so the URL's pods stay", async () => {
  reply = () => new Response("<html>maintenance</html>");
  const result = await readHttpSource({}, opts);
  assert.ok(result.changed);
  assert.deepEqual(result.snapshot.pods, []);
  assert.deepEqual(result.snapshot.failedOrigins, [URL]);
  assert.equal(result.snapshot.problems.length, 1);
});

test("readHttpSource takes an empty body as no pods, with a warning, as the kubelet does", async () => {
  reply = () => new Response("");
  const state: HttpSourceState = { body: pod("web") };
  const result = await readHttpSource(state, opts);
  assert.ok(result.changed);
  assert.deepEqual(result.snapshot.pods, []);
  assert.deepEqual(result.snapshot.failedOrigins, []);
  assert.equal(result.warning, `zero-length data received from ${URL}`);
});

test("readHttpSource refuses a body over 1 MiB, naming the URL, and reads no more of it", async () => {
  let pulled = 0;
  const endless = () =>
    new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode(`# ${"x".repeat(64 * 1024 - 3)}\n`));
      },
    });
  await assert.rejects(
    readHttpSource({}, { url: URL, nodeName: "n", fetch: () => Promise.resolve(new Response(endless())) }),
    (error) => error instanceof HttpSourceError && error.message === `${URL}: body larger than 1048576 bytes`,
  );
  assert.ok(pulled <= 20, `read ${pulled} chunks of 64 KiB`);
});

test("readHttpSource follows a redirect to another host without the configured headers", async () => {
  const seen: Headers[] = [];
  const other = await platform.serve({ hostname: "127.0.0.2", port: 0 }, (request) => {
    seen.push(new Headers(request.headers));
    return new Response(pod("moved"));
  });
  try {
    requests.length = 0;
    reply = () =>
      new Response(null, { status: 302, headers: { location: `http://127.0.0.2:${other.port}/pods` } });
    const result = await readHttpSource({}, { ...opts, headers: [["Authorization", "Bearer secret"]] });
    assert.ok(result.changed);
    assert.deepEqual(result.snapshot.pods.map((p) => p.pod.metadata.name), ["moved-node1"]);
    assert.equal(requests[0].get("authorization"), "Bearer secret", "the named host gets the header");
    assert.equal(seen.length, 1);
    assert.equal(seen[0].get("authorization"), null, "the other host never sees it");
  } finally {
    await other.close();
  }
});

test("readHttpSource keeps the configured headers on a redirect within the URL's origin", async () => {
  requests.length = 0;
  let first = true;
  reply = () => {
    if (first) {
      first = false;
      return new Response(null, { status: 301, headers: { location: "/elsewhere" } });
    }
    return new Response(pod("same"));
  };
  const result = await readHttpSource({}, { ...opts, headers: [["X-Token", "t"]] });
  assert.ok(result.changed);
  assert.deepEqual(requests.map((h) => h.get("x-token")), ["t", "t"]);
});

test("readHttpSource gives up after 10 redirects", async () => {
  requests.length = 0;
  reply = () => new Response(null, { status: 302, headers: { location: "/again" } });
  await assert.rejects(readHttpSource({}, opts), /stopped after 10 redirects/);
  assert.equal(requests.length, 10);
});
