import { test } from "node:test";
import assert from "node:assert/strict";
import type { PodList } from "../../src/api/types.ts";
import { createStatusHandler } from "../../src/status/handler.ts";
import type { MachineSpec } from "../../src/status/machine_spec.ts";

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

const handler = createStatusHandler({
  podList: () => POD_LIST,
  machineSpec: () => Promise.resolve(MACHINE),
});

const get = (path: string, method = "GET") => handler(new Request(`http://localhost${path}`, { method }));

test("status handler answers /healthz with ok as text", async () => {
  const res = await get("/healthz");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
  assert.equal(await res.text(), "ok");
});

test("status handler serves /pods as a JSON PodList", async () => {
  const res = await get("/pods");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.deepEqual(await res.json(), POD_LIST);
});

for (const path of ["/pods/", "/spec", "/spec/"]) {
  test(`status handler serves ${path} with or without the trailing slash`, async () => {
    const res = await get(path);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.deepEqual(await res.json(), path.startsWith("/spec") ? MACHINE : POD_LIST);
  });
}

for (const path of ["/", "/metrics", "/pods/extra", "/healthzz"]) {
  test(`status handler answers 404 for unknown path ${path}`, async () => {
    const res = await get(path);
    assert.equal(res.status, 404);
    assert.equal(await res.text(), "404 page not found\n");
  });
}

for (const method of ["POST", "PUT", "DELETE"]) {
  test(`status handler refuses ${method} with 405 and an Allow header`, async () => {
    const res = await get("/pods", method);
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "GET, HEAD");
    await res.body?.cancel();
  });
}

test("status handler answers HEAD with the headers of GET and no body", async () => {
  const res = await get("/pods", "HEAD");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.equal(res.body, null);
  assert.equal(await res.text(), "");
});

test("status handler ignores the query string", async () => {
  const res = await get("/healthz?verbose=1");
  assert.equal(await res.text(), "ok");
});
