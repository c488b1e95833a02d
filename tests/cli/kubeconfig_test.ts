import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { kubeconfig, runKubeconfig } from "../../src/cli/kubeconfig.ts";
import { CliError } from "../../src/cli/server.ts";
import { captureIo } from "./_io.ts";

test("kubeconfig points one cluster, user and context at the status server", () => {
  const c = parse(kubeconfig({ server: "http://127.0.0.1:10255/" }));
  assert.equal(c.kind, "Config");
  assert.equal(c["current-context"], "standalone-kubelet");
  assert.deepEqual(c.clusters, [{
    name: "standalone-kubelet",
    cluster: { server: "http://127.0.0.1:10255", "insecure-skip-tls-verify": true },
  }]);
  assert.deepEqual(c.contexts[0].context, {
    cluster: "standalone-kubelet",
    user: "standalone-kubelet",
    namespace: "default",
  });
});

test("kubeconfig takes another name, and leaves TLS verification on for https", () => {
  const c = parse(kubeconfig({ server: "https://node1:10255", name: "node1" }));
  assert.equal(c["current-context"], "node1");
  assert.deepEqual(c.clusters[0].cluster, { server: "https://node1:10255" });
});

test("kubeconfig refuses a server that is not an http URL", () => {
  assert.throws(() => kubeconfig({ server: "127.0.0.1:10255" }), CliError);
  assert.throws(() => kubeconfig({ server: "file:///etc/passwd" }), CliError);
});

test("runKubeconfig prints the kubeconfig", async () => {
  const io = captureIo();
  assert.equal(await runKubeconfig(io, { server: "http://127.0.0.1:10255" }), 0);
  assert.match(io.stdout(), /server: http:\/\/127\.0\.0\.1:10255/);
});
