import { test } from "node:test";
import assert from "node:assert/strict";
import { healthzHandler, serveHealthz } from "../../src/server/healthz_server.ts";
import { createLogger } from "../../src/log.ts";
import type { Handler, Server } from "../../src/platform/types.ts";

test("the health listener answers /healthz with ok, and nothing else", async () => {
  const handler = healthzHandler();
  const ok = handler(new Request("http://127.0.0.1:10248/healthz"));
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), "ok");
  assert.equal(handler(new Request("http://127.0.0.1:10248/healthz/ping")).status, 200);
  for (const path of ["/", "/pods", "/metrics", "/healthz/syncloop", "/containerLogs/a/b/c"]) {
    assert.equal(handler(new Request(`http://127.0.0.1:10248${path}`)).status, 404, path);
  }
  assert.equal(handler(new Request("http://127.0.0.1:10248/healthz", { method: "POST" })).status, 405);
});

test("serveHealthz logs a port it cannot bind, binds it again later, and closes when the signal aborts", async () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => lines.push(l) });
  let attempts = 0, closed = false;
  let served: Handler | undefined;
  const platform = {
    serve(_: { hostname: string; port: number }, handler: Handler): Promise<Server> {
      if (++attempts < 3) return Promise.reject(new Error("address already in use"));
      served = handler;
      return Promise.resolve({ port: 10248, close: () => Promise.resolve(void (closed = true)) });
    },
  };
  const abort = new AbortController();
  const done = serveHealthz(platform, log, {
    hostname: "127.0.0.1",
    port: 10248,
    signal: abort.signal,
    retryMs: 1,
  });
  while (!served) await new Promise((r) => setTimeout(r, 1));
  assert.equal(attempts, 3);
  assert.equal(lines.filter((l) => l.includes("Failed to start healthz server")).length, 2);
  assert.equal(await (await served(new Request("http://127.0.0.1:10248/healthz"))).text(), "ok");
  abort.abort();
  await done;
  assert.equal(closed, true);
});
