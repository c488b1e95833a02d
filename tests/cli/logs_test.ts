import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod, PodList } from "../../src/api/types.ts";
import { runCli } from "../../src/cli.ts";
import { findPod } from "../../src/cli/logs.ts";
import { platform } from "../../src/platform/mod.ts";
import { LogRequestError } from "../../src/server/container_logs.ts";
import { createStatusHandler } from "../../src/server/handler.ts";
import type { MachineSpec } from "../../src/nodeinfo/machine_spec.ts";
import { captureIo } from "./_io.ts";

const pod = (name: string, namespace = "default"): Pod => ({
  metadata: { name, namespace },
  spec: { nodeName: "n1", containers: [{ name: "main", image: "x" }, { name: "side", image: "x" }] },
  status: { phase: "Running" },
});
const LIST: PodList = {
  apiVersion: "v1",
  kind: "PodList",
  metadata: {},
  items: [pod("web-n1"), pod("web-n1", "other"), pod("db-n1")],
};

let query: URLSearchParams | undefined;
const handler = createStatusHandler({
  podList: () => LIST,
  machineSpec: () => Promise.resolve({} as MachineSpec),
  containerLogs: (t, q) => {
    query = q;
    if (q.get("previous") === "true") {
      return Promise.reject(
        new LogRequestError(
          400,
          `previous terminated container "${t.container}" in pod "${t.pod}" not found`,
        ),
      );
    }
    return Promise.resolve(new Response(`${t.namespace}/${t.pod}/${t.container} line 1\nline 2\n`).body!);
  },
});

test("kubelet logs prints the container's log, defaulting to the first container with a note", async () => {
  const io = captureIo(handler);
  assert.equal(await runCli(["logs", "db-n1"], platform, io), 0);
  assert.equal(io.stdout(), "default/db-n1/main line 1\nline 2\n");
  assert.equal(io.stderr(), 'Defaulted container "main" out of: main, side\n');
  assert.equal(io.urls.at(-1), "http://127.0.0.1:10255/containerLogs/default/db-n1/main?");
});

test("kubelet logs passes -c, -f, --tail, --timestamps, --since and --limit-bytes as the kubelet's query", async () => {
  const io = captureIo(handler);
  assert.equal(
    await runCli(
      [
        "logs",
        "db",
        "-c",
        "side",
        "-f",
        "--tail",
        "20",
        "--timestamps",
        "--since",
        "2m",
        "--limit-bytes",
        "100",
      ],
      platform,
      io,
    ),
    0,
  );
  assert.equal(io.stdout(), "default/db-n1/side line 1\nline 2\n");
  assert.deepEqual(Object.fromEntries(query!), {
    follow: "true",
    timestamps: "true",
    tailLines: "20",
    limitBytes: "100",
    sinceSeconds: "120",
  });
});

test("kubelet logs --previous prints the server's refusal as kubectl does and exits 1", async () => {
  const io = captureIo(handler);
  assert.equal(await runCli(["logs", "db-n1", "--previous"], platform, io), 1);
  assert.match(
    io.stderr(),
    /^Error from server \(BadRequest\): previous terminated container "main" in pod "db-n1" not found\n$/m,
  );
});

test("kubelet logs exits 1 for an unknown pod, and for a name in two namespaces without -n", async () => {
  const missing = captureIo(handler);
  assert.equal(await runCli(["logs", "nope"], platform, missing), 1);
  assert.equal(missing.stderr(), 'error: pods "nope" not found\n');
  const twice = captureIo(handler);
  assert.equal(await runCli(["logs", "web"], platform, twice), 1);
  assert.match(twice.stderr(), /more than one namespace \(default, other\): choose one with -n/);
  const chosen = captureIo(handler);
  assert.equal(await runCli(["logs", "web", "-n", "other", "-c", "main"], platform, chosen), 0);
  assert.match(chosen.stdout(), /^other\/web-n1\/main/);
});

test("findPod matches the pod's name or its manifest name", () => {
  assert.equal(findPod(LIST.items, "db-n1").metadata.name, "db-n1");
  assert.equal(findPod(LIST.items, "db").metadata.name, "db-n1");
});

/** A pod with an init container and two containers, the second named by the default-container annotation when `annotated`. */
function multiPod(annotated: boolean): Pod {
  return {
    metadata: {
      name: "multi-n1",
      namespace: "default",
      annotations: annotated ? { "kubectl.kubernetes.io/default-container": "side" } : {},
    },
    spec: {
      nodeName: "n1",
      initContainers: [{ name: "init", image: "x" }],
      containers: [{ name: "main", image: "x" }, { name: "side", image: "x" }],
    },
    status: { phase: "Running" },
  };
}

function multiHandler(annotated: boolean) {
  return createStatusHandler({
    podList: () => ({ apiVersion: "v1", kind: "PodList", metadata: {}, items: [multiPod(annotated)] }),
    machineSpec: () => Promise.resolve({} as MachineSpec),
    // Two chunks that split a line, and a last line without a newline.
    containerLogs: (t) =>
      Promise.resolve(
        new Blob([`${t.container} one\n${t.container} t`, `wo\n${t.container} last`]).stream(),
      ),
  });
}

test("kubelet logs without -c takes the container the default-container annotation names, without a note", async () => {
  const io = captureIo(multiHandler(true));
  assert.equal(await runCli(["logs", "multi"], platform, io), 0);
  assert.equal(io.stdout(), "side one\nside two\nside last");
  assert.equal(io.stderr(), "");
});

test("kubelet logs --all-containers --prefix prints every container, init first, each line after [pod/NAME/CONTAINER]", async () => {
  const io = captureIo(multiHandler(false));
  assert.equal(await runCli(["logs", "multi", "--all-containers", "--prefix"], platform, io), 0);
  const lines = io.stdout().split("\n");
  assert.deepEqual(lines, [
    "[pod/multi-n1/init] init one",
    "[pod/multi-n1/init] init two",
    "[pod/multi-n1/init] init last[pod/multi-n1/main] main one",
    "[pod/multi-n1/main] main two",
    "[pod/multi-n1/main] main last[pod/multi-n1/side] side one",
    "[pod/multi-n1/side] side two",
    "[pod/multi-n1/side] side last",
  ]);
  assert.equal(io.stderr(), "");
});

test("kubelet logs --all-containers -f follows every container at once, whole lines each", async () => {
  const io = captureIo(multiHandler(false));
  assert.equal(await runCli(["logs", "multi", "--all-containers", "--prefix", "-f"], platform, io), 0);
  const lines = io.stdout().replace(/last(?=\[)/g, "last\n").split("\n").sort();
  assert.equal(lines.length, 9);
  for (const line of lines) assert.match(line, /^\[pod\/multi-n1\/(init|main|side)\] \1 (one|two|last)$/);
});

test("kubelet logs refuses --all-containers with -c", async () => {
  const io = captureIo(multiHandler(false));
  assert.equal(await runCli(["logs", "multi", "--all-containers", "-c", "main"], platform, io), 1);
  assert.equal(io.stderr(), "error: --all-containers=true should not be specified with container name\n");
});
