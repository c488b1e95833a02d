import { test } from "node:test";
import assert from "node:assert/strict";
import { instrumentFetch, operationType } from "../../src/docker/instrumented_fetch.ts";
import { KubeletMetrics } from "../../src/metrics/kubelet_metrics.ts";
import { containerType } from "../../src/runtime/container_type.ts";

for (
  const [method, path, op] of [
    ["GET", "/_ping", "version"],
    ["GET", "/v1.41/containers/json?all=1", "list_containers"],
    ["GET", "/v1.41/containers/abc/json", "inspect_container"],
    ["POST", "/v1.41/containers/create?name=x", "create_container"],
    ["POST", "/v1.41/containers/abc/start", "start_container"],
    ["DELETE", "/v1.41/containers/abc", "remove_container"],
    ["GET", "/v1.41/images/docker.io/library/nginx:1/json", "inspect_image"],
    ["POST", "/v1.41/images/create?fromImage=nginx", "pull_image"],
    ["GET", "/v1.41/containers/abc/logs", "logs"],
    ["PUT", "/v1.41/whatever", "other"],
  ] as const
) {
  test(`operationType names ${method} ${path} ${op}`, () => {
    assert.equal(operationType(method, `http://docker${path}`), op);
  });
}

test("instrumented fetch counts every call with its latency, and answers >= 400 as errors", async () => {
  const metrics = new KubeletMetrics("n");
  let t = 0;
  const fetchFn = instrumentFetch(
    (req) => {
      t += 30;
      return Promise.resolve(new Response("{}", { status: req.url.endsWith("/missing/json") ? 404 : 200 }));
    },
    metrics,
    containerType,
    () => t,
  );
  await fetchFn(new Request("http://docker/v1.41/containers/abc/json"));
  await fetchFn(new Request("http://docker/v1.41/containers/missing/json"));
  assert.equal(metrics.runtimeOperations.value({ operation_type: "inspect_container" }), 2);
  assert.equal(metrics.runtimeOperationsErrors.value({ operation_type: "inspect_container" }), 1);
  assert.deepEqual(metrics.runtimeOperationsDuration.totals({ operation_type: "inspect_container" }), {
    count: 2,
    sum: 0.06,
  });
});

test("instrumented fetch counts an unreachable Engine as an error and rethrows", async () => {
  const metrics = new KubeletMetrics("n");
  const fetchFn = instrumentFetch(
    () => Promise.reject(new TypeError("connection refused")),
    metrics,
    containerType,
  );
  await assert.rejects(fetchFn(new Request("http://docker/v1.41/containers/json")), /connection refused/);
  assert.equal(metrics.runtimeOperationsErrors.value({ operation_type: "list_containers" }), 1);
});

const create = (labels: Record<string, string>) =>
  new Request("http://docker/v1.41/containers/create?name=x", {
    method: "POST",
    body: JSON.stringify({ Image: "busybox", Labels: labels, HostConfig: {} }),
  });

test("instrumented fetch counts created containers by type and failed starts as RunContainerError", async () => {
  const metrics = new KubeletMetrics("n");
  let nextId = 0;
  const fetchFn = instrumentFetch(
    // deno-lint-ignore require-await
    async (req) => {
      if (req.url.includes("/create")) {
        return new Response(JSON.stringify({ Id: `id${nextId++}` }), { status: 201 });
      }
      if (req.url.includes("/id1/start")) return new Response('{"message":"exec failed"}', { status: 500 });
      return new Response(null, { status: 204 });
    },
    metrics,
    containerType,
  );
  await fetchFn(create({ "io.kubernetes.docker.type": "podsandbox" }));
  await fetchFn(
    create({ "io.kubernetes.docker.type": "container", "io.kubernetes.standalone.container.kind": "app" }),
  );
  await fetchFn(
    create({ "io.kubernetes.docker.type": "container", "io.kubernetes.standalone.container.kind": "init" }),
  );
  await fetchFn(new Request("http://docker/v1.41/containers/id0/start", { method: "POST" }));
  await fetchFn(new Request("http://docker/v1.41/containers/id1/start", { method: "POST" }));
  await fetchFn(new Request("http://docker/v1.41/containers/id2/start", { method: "POST" }));
  assert.equal(metrics.startedPods.value(), 1);
  assert.equal(metrics.startedContainers.value({ container_type: "container" }), 1);
  assert.equal(metrics.startedContainers.value({ container_type: "init_container" }), 1);
  assert.equal(
    metrics.startedContainersErrors.value({ container_type: "container", code: "RunContainerError" }),
    1,
  );
  assert.equal(metrics.startedPodsErrors.value(), 0);
});

test("instrumented fetch leaves the request and response bodies readable for the caller", async () => {
  const metrics = new KubeletMetrics("n");
  const fetchFn = instrumentFetch(
    async (req) => new Response(JSON.stringify({ Id: "x", got: await req.json() })),
    metrics,
    containerType,
  );
  const res = await fetchFn(create({ "io.kubernetes.docker.type": "podsandbox" }));
  const body = await res.json();
  assert.equal(body.Id, "x");
  assert.equal(body.got.Image, "busybox");
});

test("instrumented fetch counts nothing by type when the classifier names no type", async () => {
  const counted: string[] = [];
  const fetchFn = instrumentFetch(
    () => Promise.resolve(new Response(JSON.stringify({ Id: "x" }), { status: 201 })),
    {
      runtimeOperation: (op) => counted.push(op),
      containerCreated: (type) => counted.push(`created ${type}`),
      containerFailed: (type) => counted.push(`failed ${type}`),
    },
    () => undefined,
  );
  await fetchFn(create({ "io.kubernetes.docker.type": "podsandbox" }));
  assert.deepEqual(counted, ["create_container"]);
});
