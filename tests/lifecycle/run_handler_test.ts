import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import type { Container } from "../../src/api/types.ts";
import { platform } from "../../src/platform/mod.ts";
import { MAX_BODY_BYTES, resolvePort, runHandler } from "../../src/lifecycle/run_handler.ts";

const container: Container = { name: "web", image: "nginx", ports: [{ name: "http", containerPort: 8080 }] };
const deps = { docker: {} as never, platform };

/** Serves `handler` on 127.0.0.1 for the duration of `fn`. */
async function withServer(
  handler: (r: Request) => Response | Promise<Response>,
  fn: (port: number) => Promise<void>,
): Promise<void> {
  const server = await platform.serve({ hostname: "127.0.0.1", port: 0 }, handler);
  try {
    await fn(server.port);
  } finally {
    await server.close();
  }
}

/** Polls `check` every 10 ms until it holds; fails after 5 s. */
async function waitForValue(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), "timed out");
}

test("resolvePort takes numbers, numeric strings and named container ports", () => {
  assert.equal(resolvePort(80, container), 80);
  assert.equal(resolvePort("81", container), 81);
  assert.equal(resolvePort("http", container), 8080);
  assert.throws(() => resolvePort("grpc", container), /couldn't find port "grpc" in container web/);
});

test("runHandler httpGet succeeds on 2xx and 3xx, fails on 4xx/5xx with the kubelet's message", async () => {
  await withServer((r) => {
    const path = new URL(r.url).pathname;
    if (path === "/redirect") return new Response(null, { status: 302, headers: { location: "/ok" } });
    if (path === "/ok") return new Response(r.headers.get("x-probe") ?? "ok");
    return new Response("broken", { status: 500 });
  }, async (port) => {
    const target = { containerId: "c", container, podIP: "127.0.0.1" };
    const ok = await runHandler(
      { httpGet: { port, path: "/ok", httpHeaders: [{ name: "X-Probe", value: "hi" }] } },
      target,
      deps,
      1000,
    );
    assert.deepEqual(ok, { ok: true, output: "hi" });
    assert.equal((await runHandler({ httpGet: { port, path: "/redirect" } }, target, deps, 1000)).ok, true);
    const bad = await runHandler({ httpGet: { port, path: "/fail" } }, target, deps, 1000);
    assert.deepEqual(bad, { ok: false, output: "HTTP probe failed with statuscode: 500" });
  });
});

test("runHandler httpGet fails after timeoutSeconds when the server does not answer", async () => {
  await withServer(
    () => new Promise((r) => setTimeout(() => r(new Response("late")), 1500)),
    async (port) => {
      const result = await runHandler(
        { httpGet: { port, host: "127.0.0.1" } },
        { containerId: "c", container },
        deps,
        200,
      );
      assert.equal(result.ok, false);
    },
  );
});

test("runHandler tcpSocket succeeds when the port accepts and fails when it is closed", async () => {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const target = { containerId: "c", container, podIP: "127.0.0.1" };
  try {
    assert.equal((await runHandler({ tcpSocket: { port } }, target, deps, 1000)).ok, true);
  } finally {
    await new Promise((r) => server.close(r));
  }
  assert.equal((await runHandler({ tcpSocket: { port } }, target, deps, 1000)).ok, false);
});

test("runHandler without an action fails with a message", async () => {
  const result = await runHandler({}, { containerId: "c", container }, deps, 100);
  assert.equal(result.ok, false);
  assert.match(result.output, /no handler/);
});

test("runHandler httpGet with scheme HTTPS skips certificate checks where the runtime can (Bun), as the kubelet does", async () => {
  const { execFileSync } = await import("node:child_process");
  const { mkdtempSync, readFileSync, rmSync } = await import("node:fs");
  const { createServer: createHttps } = await import("node:https");
  const dir = mkdtempSync("/tmp/kubelet-tls-");
  execFileSync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    `${dir}/k.pem`,
    "-out",
    `${dir}/c.pem`,
    "-days",
    "1",
    "-subj",
    "/CN=localhost",
  ], { stdio: "ignore" });
  let requests = 0;
  const handshakeErrors: string[] = [];
  const server = createHttps(
    { key: readFileSync(`${dir}/k.pem`), cert: readFileSync(`${dir}/c.pem`) },
    (_q, r) => (requests++, r.end("secure")),
  );
  server.on("tlsClientError", (error) => handshakeErrors.push(error.message));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  try {
    const result = await runHandler(
      { httpGet: { port, scheme: "HTTPS", host: "127.0.0.1" } },
      { containerId: "c", container },
      deps,
      2000,
    );
    if (platform.name === "bun") {
      assert.deepEqual(result, { ok: true, output: "secure" });
      assert.equal(requests, 1);
    } else {
      // Deno's fetch cannot skip the check: the probe fails, and for this reason only (the
      // server was reached, and the client refused its self-signed certificate).
      assert.equal(result.ok, false);
      assert.match(
        result.output,
        /^Get "https:\/\/127\.0\.0\.1:\d+\/": .*invalid peer certificate: /,
      );
      assert.equal(requests, 0);
      await waitForValue(() => handshakeErrors.length > 0);
      assert.match(handshakeErrors[0], /unknown ca|certificate/i);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    server.closeAllConnections?.();
    await new Promise((r) => server.close(r));
  }
});

test("runHandler httpGet reads at most 10 KiB of an endless body and stops the transfer", async () => {
  let sent = 0;
  let cancelled = false;
  await withServer(() =>
    new Response(
      new ReadableStream<Uint8Array>({
        pull(c) {
          sent += 65_536;
          c.enqueue(new Uint8Array(65_536).fill(0x79));
        },
        cancel() {
          cancelled = true;
        },
      }, { highWaterMark: 0 }),
    ), async (port) => {
    const result = await runHandler(
      { httpGet: { port, host: "127.0.0.1" } },
      { containerId: "c", container },
      deps,
      5_000,
    );
    assert.equal(result.ok, true, result.output);
    assert.equal(result.output, "y".repeat(MAX_BODY_BYTES));
    // The server is told to stop: what it sent is socket buffers' worth, nowhere near what 5 s could carry.
    for (let i = 0; i < 100 && !cancelled; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(sent < 64 * 1024 * 1024, `server sent ${sent} bytes`);
  });
});

test("runHandler httpGet follows a redirect to the same host with the probe's headers", async () => {
  await withServer((r) => {
    const path = new URL(r.url).pathname;
    if (path === "/hop") return new Response(null, { status: 301, headers: { location: "/there" } });
    return new Response(`${path} ${r.headers.get("x-probe")}`);
  }, async (port) => {
    const target = { containerId: "c", container, podIP: "127.0.0.1" };
    const action = { httpGet: { port, path: "/hop", httpHeaders: [{ name: "X-Probe", value: "secret" }] } };
    assert.deepEqual(await runHandler(action, target, deps, 1000), { ok: true, output: "/there secret" });
  });
});

test("runHandler httpGet never follows a redirect to another host: success with a warning, nothing sent there", async () => {
  let elsewhere = 0;
  const other = await platform.serve({ hostname: "127.0.0.2", port: 0 }, () => {
    elsewhere++;
    return new Response("host service");
  });
  try {
    await withServer(
      () =>
        new Response("moved", { status: 302, headers: { location: `http://127.0.0.2:${other.port}/admin` } }),
      async (port) => {
        const target = { containerId: "c", container, podIP: "127.0.0.1" };
        const action = { httpGet: { port, httpHeaders: [{ name: "Authorization", value: "Bearer x" }] } };
        const result = await runHandler(action, target, deps, 1000);
        assert.equal(result.ok, true);
        assert.match(result.warning ?? "", /^Probe terminated redirects, Response body: moved/);
      },
    );
    assert.equal(elsewhere, 0, "the other host never received a request");
  } finally {
    await other.close();
  }
});

test("runHandler httpGet fails after 10 redirects, as the kubelet's client does", async () => {
  let requests = 0;
  await withServer(() => {
    requests++;
    return new Response(null, { status: 307, headers: { location: `/loop${requests}` } });
  }, async (port) => {
    const target = { containerId: "c", container, podIP: "127.0.0.1" };
    const result = await runHandler({ httpGet: { port, path: "/loop" } }, target, deps, 2000);
    assert.equal(result.ok, false);
    assert.match(result.output, /stopped after 10 redirects/);
    assert.equal(requests, 10);
  });
});
