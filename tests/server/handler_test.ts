import { test } from "node:test";
import assert from "node:assert/strict";
import type { PodList } from "../../src/api/types.ts";
import { createStatusHandler, type StatusSource } from "../../src/server/handler.ts";
import { LogRequestError } from "../../src/server/container_logs.ts";
import type { MachineSpec } from "../../src/nodeinfo/machine_spec.ts";
import type { Summary } from "../../src/stats/summary.ts";

const POD_LIST: PodList = {
  apiVersion: "v1",
  kind: "PodList",
  metadata: {},
  items: [{
    metadata: { name: "web-node1", namespace: "default", uid: "u1" },
    spec: { containers: [{ name: "app", image: "nginx" }] },
    status: { phase: "Running" },
  }],
};

const MACHINE = { num_cores: 4, memory_capacity: 8 << 30 } as MachineSpec;
const SUMMARY = { node: { nodeName: "node1", startTime: "2024-01-01T00:00:00Z" }, pods: [] } as Summary;
const RUNNING: PodList = { apiVersion: "v1", kind: "PodList", metadata: {}, items: [] };

let syncloop: string | undefined;
let lastLogQuery: URLSearchParams | undefined;
const source: StatusSource = {
  nodeName: "node1",
  podList: () => POD_LIST,
  machineSpec: () => Promise.resolve(MACHINE),
  healthChecks: [{ name: "syncloop", check: () => syncloop }],
  runningPods: () => RUNNING,
  statsSummary: () => Promise.resolve(SUMMARY),
  metrics: () => "# HELP x X.\n# TYPE x gauge\nx 1\n",
  containerLogs: (target, query) => {
    lastLogQuery = query;
    if (target.pod !== "web-node1") {
      return Promise.reject(new LogRequestError(404, `pod "${target.pod}" does not exist`));
    }
    return Promise.resolve(
      new Response(`log of ${target.namespace}/${target.pod}/${target.container}\n`).body!,
    );
  },
};
const handler = createStatusHandler(source);

const get = (path: string, method = "GET") => handler(new Request(`http://localhost${path}`, { method }));

test("status handler answers /healthz with ok as text", async () => {
  syncloop = undefined;
  const res = await get("/healthz");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(await res.text(), "ok");
});

test("status handler answers /healthz/ping and /healthz/syncloop with ok while healthy", async () => {
  syncloop = undefined;
  for (const path of ["/healthz/ping", "/healthz/syncloop"]) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(await res.text(), "ok");
  }
});

test("/healthz/syncloop fails with 500 and the reason; /healthz fails withholding it", async () => {
  syncloop = "docker engine is not answering: connection refused";
  try {
    const one = await get("/healthz/syncloop");
    assert.equal(one.status, 500);
    assert.equal(
      await one.text(),
      "internal server error: docker engine is not answering: connection refused\n",
    );
    const all = await get("/healthz");
    assert.equal(all.status, 500);
    assert.equal(await all.text(), "[+]ping ok\n[-]syncloop failed: reason withheld\nhealthz check failed\n");
    const excluded = await get("/healthz?exclude=syncloop");
    assert.equal(excluded.status, 200);
    assert.equal(await excluded.text(), "ok");
  } finally {
    syncloop = undefined;
  }
});

test("/healthz?verbose lists each check", async () => {
  const res = await get("/healthz?verbose");
  assert.equal(await res.text(), "[+]ping ok\n[+]syncloop ok\nhealthz check passed\n");
});

test("status handler serves /pods as a JSON PodList", async () => {
  const res = await get("/pods");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.deepEqual(await res.json(), POD_LIST);
});

for (
  const [path, body] of [["/pods/", POD_LIST], ["/spec", MACHINE], ["/spec/", MACHINE], [
    "/runningpods/",
    RUNNING,
  ], ["/stats/summary", SUMMARY]] as const
) {
  test(`status handler serves ${path} as JSON`, async () => {
    const res = await get(path);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.deepEqual(await res.json(), body);
  });
}

test("status handler serves /metrics in the Prometheus text format", async () => {
  const res = await get("/metrics");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  assert.match(await res.text(), /^x 1$/m);
});

test("status handler serves / as a self-contained HTML page locked down by its CSP", async () => {
  const res = await get("/");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
  assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'/);
  const html = await res.text();
  assert.match(html, /web-node1/);
  assert.doesNotMatch(html, /(src|href)="https?:/, "no external assets");
});

test("status handler streams /containerLogs/{namespace}/{pod}/{container} as text with its query", async () => {
  const res = await get("/containerLogs/default/web-node1/app?tailLines=5&follow=true");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(await res.text(), "log of default/web-node1/app\n");
  assert.equal(lastLogQuery?.get("tailLines"), "5");
});

test("status handler answers a log request error with its status and message", async () => {
  const res = await get("/containerLogs/default/nope/app");
  assert.equal(res.status, 404);
  assert.equal(await res.text(), 'pod "nope" does not exist\n');
});

for (
  const path of [
    "/pods/extra",
    "/healthzz",
    "/healthz/nope",
    "/containerLogs/default/web-node1",
    "/stats",
    "/logs/",
  ]
) {
  test(`status handler answers 404 for unknown path ${path}`, async () => {
    const res = await get(path);
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(await res.text(), "404 page not found\n");
  });
}

test("status handler answers 404 for the routes whose source part is not given", async () => {
  const bare = createStatusHandler({ podList: () => POD_LIST, machineSpec: () => Promise.resolve(MACHINE) });
  for (
    const path of ["/metrics", "/stats/summary", "/runningpods/", "/containerLogs/default/web-node1/app"]
  ) {
    assert.equal((await bare(new Request(`http://localhost${path}`))).status, 404, path);
  }
});

for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
  for (const path of ["/pods", "/", "/healthz", "/metrics", "/containerLogs/default/web-node1/app"]) {
    test(`status handler refuses ${method} ${path} with 405 and an Allow header`, async () => {
      const res = await get(path, method);
      assert.equal(res.status, 405);
      assert.equal(res.headers.get("allow"), "GET, HEAD");
      await res.body?.cancel();
    });
  }
}

test("status handler answers HEAD with the headers of GET and no body", async () => {
  for (const path of ["/pods", "/", "/metrics"]) {
    const res = await get(path, "HEAD");
    const getRes = await get(path);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), getRes.headers.get("content-type"));
    assert.equal(res.body, null);
    await getRes.body?.cancel();
  }
});

test("status handler answers 500 with the error when a source part throws", async () => {
  const broken = createStatusHandler({
    podList: () => POD_LIST,
    machineSpec: () => Promise.resolve(MACHINE),
    statsSummary: () => Promise.reject(new Error("statfs failed")),
  });
  const res = await broken(new Request("http://localhost/stats/summary"));
  assert.equal(res.status, 500);
  assert.match(await res.text(), /statfs failed/);
});

test("status handler ignores the query string when routing", async () => {
  const res = await get("/pods?verbose=1");
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

test("status handler answers 400, not 500, for a malformed percent escape in a path", async () => {
  for (
    const path of ["/containerLogs/default/web%zz/app", "/containerLogs/%E0%A4%A/web-node1/app", "/healthz/%"]
  ) {
    const res = await get(path);
    assert.equal(res.status, 400, path);
    assert.match(await res.text(), /^400 bad request: malformed URL escape/);
  }
});

test("the status server answers 403 to a Host header that names another site (DNS rebinding), on every path", async () => {
  const handler = createStatusHandler(source, { address: "127.0.0.1" });
  for (const path of ["/", "/pods", "/healthz", "/containerLogs/default/web-node1/app", "/nope"]) {
    const res = await handler(
      new Request(`http://127.0.0.1:10255${path}`, { headers: { host: "evil.example" } }),
    );
    assert.equal(res.status, 403, path);
    assert.match(await res.text(), /Host "evil.example" is not this node/);
  }
});

test("the status server answers requests naming the node, localhost or a loopback address", async () => {
  const handler = createStatusHandler(source, { address: "127.0.0.1" });
  for (const host of ["node1:10255", "localhost:10255", "127.0.0.1:10255", "[::1]:10255"]) {
    const res = await handler(new Request("http://127.0.0.1:10255/pods", { headers: { host } }));
    assert.equal(res.status, 200, host);
    await res.body?.cancel();
  }
});
