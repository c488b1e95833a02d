/**
 * `/healthz/syncloop` follows the Engine: the kubelet talks to the Engine
 * through a loopback proxy the test controls, and when the proxy stops
 * answering the check fails with the reason, then recovers. The same run
 * logs as JSON at verbosity 4.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { connect, createServer, type Server, type Socket } from "node:net";
import { mkdir, writeFile } from "node:fs/promises";
import {
  busyboxPod,
  cleanup,
  e2eNode,
  e2ePort,
  getPod,
  type RunningKubelet,
  startKubelet,
  tempDir,
  waitFor,
} from "./_harness.ts";

const node = e2eNode("healthz");
const port = e2ePort(18353);
const proxyPort = e2ePort(18354);
const ENGINE_SOCKET = "/var/run/docker.sock";
let dir = "";
let kubelet: RunningKubelet | undefined;
let proxy: Server | undefined;
const sockets = new Set<Socket>();

/** A TCP proxy on loopback to the Engine's unix socket. */
function startProxy(): Promise<Server> {
  const server = createServer((client) => {
    const engine = connect(ENGINE_SOCKET);
    sockets.add(client).add(engine);
    client.pipe(engine).pipe(client);
    const close = () => (client.destroy(), engine.destroy(), sockets.delete(client), sockets.delete(engine));
    client.on("error", close).on("close", close);
    engine.on("error", close).on("close", close);
  });
  return new Promise((resolve, reject) =>
    server.once("error", reject).listen(proxyPort, "127.0.0.1", () => resolve(server))
  );
}

function stopProxy(): Promise<void> {
  for (const s of sockets) s.destroy();
  sockets.clear();
  return new Promise((resolve) => proxy ? proxy.close(() => resolve()) : resolve());
}

before(async () => {
  dir = await tempDir(node);
  await cleanup(node);
  await mkdir(`${dir}/manifests`);
  await writeFile(`${dir}/manifests/idle.yaml`, busyboxPod("idle", "sleep 1000"));
  proxy = await startProxy();
  kubelet = await startKubelet({
    node,
    port,
    manifests: `${dir}/manifests`,
    rootDir: `${dir}/root`,
    args: [`--docker-endpoint=tcp://127.0.0.1:${proxyPort}`, "--log-format=json", "-v", "4"],
  });
  await waitFor(
    "the pod running",
    async () => (await getPod(port, `idle-${node}`))?.status?.phase === "Running",
  );
});

after(async () => {
  await kubelet?.stop("SIGKILL");
  await stopProxy();
  await cleanup(node, dir);
});

const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);

test("/healthz/syncloop fails with the reason while the Engine does not answer, and recovers", async () => {
  assert.equal((await get("/healthz/syncloop")).status, 200);
  await stopProxy();
  const failing = await waitFor("syncloop to fail", async () => {
    const res = await get("/healthz/syncloop");
    return res.status === 500 && await res.text();
  }, { timeoutMs: 15_000, intervalMs: 250 });
  assert.match(failing, /^internal server error: docker engine is not answering: .+\n$/);
  const root = await get("/healthz");
  assert.equal(root.status, 500);
  assert.equal(await root.text(), "[+]ping ok\n[-]syncloop failed: reason withheld\nhealthz check failed\n");
  assert.equal((await get("/healthz/ping")).status, 200);

  proxy = await startProxy();
  await waitFor("syncloop to recover", async () => (await get("/healthz/syncloop")).status === 200, {
    timeoutMs: 20_000,
    intervalMs: 250,
  });
  assert.equal(await (await get("/healthz")).text(), "ok");
});

test("--log-format=json writes one component-base JSON object per line; -v 4 adds the status server's requests", async () => {
  await get("/pods").then((r) => r.body?.cancel());
  const lines = kubelet!.logs().trim().split("\n").filter((l) => !l.startsWith("(node:"));
  assert.ok(lines.length > 5);
  const entries = lines.map((l) => JSON.parse(l));
  for (const e of entries) {
    assert.equal(typeof e.ts, "number");
    // component-base's ts is in milliseconds: within a day of now, not a 1970 date.
    assert.ok(Math.abs(e.ts - Date.now()) < 86_400_000, JSON.stringify(e));
    assert.equal(typeof e.caller, "string");
    assert.match(e.caller, /^[^:\s]+:\d+$/);
    assert.equal(typeof e.msg, "string");
    if ("v" in e) assert.equal(typeof e.v, "number", JSON.stringify(e));
    assert.ok(!("error" in e) && !("level" in e), JSON.stringify(e));
  }
  assert.ok(entries.some((e) => e.msg.startsWith("standalone kubelet") && e.node === node));
  assert.ok(entries.some((e) => e.msg === "HTTP" && e.v === 4 && e.URI === "/pods" && e.resp === 200));
});
