import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import type { Pod, PodList } from "../../src/api/types.ts";
import { runCli } from "../../src/cli.ts";
import { formatTable } from "../../src/cli/pods.ts";
import { platform } from "../../src/platform/mod.ts";
import { createStatusHandler } from "../../src/server/handler.ts";
import type { MachineSpec } from "../../src/nodeinfo/machine_spec.ts";
import { captureIo } from "./_io.ts";

const started = new Date(Date.now() - 3 * 60_000 - 5_000).toISOString();
const pod = (name: string, namespace: string, ready: boolean): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, creationTimestamp: null },
  spec: { containers: [{ name: "a", image: "x" }, { name: "b", image: "x" }], nodeName: "n1" },
  status: {
    phase: "Running",
    startTime: started,
    podIP: "172.17.0.9",
    podIPs: [{ ip: "172.17.0.9" }],
    containerStatuses: ["a", "b"].map((c) => ({
      name: c,
      image: "x",
      imageID: "",
      ready,
      restartCount: 0,
      state: { running: { startedAt: started } },
      lastState: {},
    })),
  },
});
const LIST: PodList = {
  apiVersion: "v1",
  kind: "PodList",
  metadata: {},
  items: [pod("web-n1", "default", true), pod("db-n1", "default", false)],
};
// The server's node is "node": the status server answers only Host headers naming it (or loopback).
const handler = createStatusHandler({
  nodeName: "node",
  podList: () => LIST,
  machineSpec: () => Promise.resolve({} as MachineSpec),
});

test("kubelet pods prints kubectl's table, sorted by name, and exits 0", async () => {
  const io = captureIo(handler);
  assert.equal(await runCli(["pods", "--server", "http://node:10255"], platform, io), 0);
  assert.equal(io.urls[0], "http://node:10255/pods");
  assert.equal(
    io.stdout(),
    "NAME      READY     STATUS    RESTARTS   AGE\n" +
      "db-n1     0/2       Running   0          3m5s\n" +
      "web-n1    2/2       Running   0          3m5s\n",
  );
});

test("kubelet pods -o wide adds IP, NODE, NOMINATED NODE and READINESS GATES", async () => {
  const io = captureIo(handler);
  assert.equal(await runCli(["pods", "-o", "wide"], platform, io), 0);
  assert.equal(io.urls[0], "http://127.0.0.1:10255/pods");
  const [header, first] = io.stdout().split("\n");
  assert.match(
    header,
    /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/,
  );
  assert.match(first, /^db-n1\s+0\/2\s+Running\s+0\s+3m5s\s+172\.17\.0\.9\s+n1\s+<none>\s+<none>$/);
});

test("kubelet pods -o json and -o yaml print the PodList", async () => {
  const json = captureIo(handler);
  assert.equal(await runCli(["pods", "-o", "json"], platform, json), 0);
  const fromJson = JSON.parse(json.stdout());
  assert.equal(fromJson.kind, "PodList");
  assert.deepEqual(fromJson.items.map((p: Pod) => p.metadata.name), ["db-n1", "web-n1"]);
  assert.match(json.stdout(), /^\{\n {4}"apiVersion": "v1"/, "indented by 4 as kubectl does");
  const yaml = captureIo(handler);
  assert.equal(await runCli(["pods", "-o", "yaml"], platform, yaml), 0);
  assert.deepEqual(parse(yaml.stdout()), fromJson);
});

test("kubelet pods -n filters by namespace and says when nothing is found", async () => {
  const io = captureIo(handler);
  assert.equal(await runCli(["pods", "-n", "kube-system"], platform, io), 0);
  assert.equal(io.stdout(), "");
  assert.equal(io.stderr(), "No resources found in kube-system namespace.\n");
});

test("kubelet pods adds a NAMESPACE column when pods span namespaces", async () => {
  const list = { ...LIST, items: [...LIST.items, pod("etcd-n1", "kube-system", true)] };
  const io = captureIo(
    createStatusHandler({ podList: () => list, machineSpec: () => Promise.resolve({} as MachineSpec) }),
  );
  assert.equal(await runCli(["pods"], platform, io), 0);
  assert.match(io.stdout(), /^NAMESPACE\s+NAME\s+READY/);
  assert.match(io.stdout(), /^kube-system\s+etcd-n1\s+2\/2/m);
});

test("kubelet pods exits 1 with one line when the status server cannot be reached", async () => {
  const io = captureIo();
  assert.equal(await runCli(["pods", "--server", "http://127.0.0.1:1"], platform, io), 1);
  assert.equal(
    io.stderr(),
    "error: cannot reach the kubelet's status server at http://127.0.0.1:1: connection refused\n",
  );
});

test("kubelet pods -o with an unknown format exits 1 naming the allowed ones", async () => {
  const io = captureIo(handler);
  assert.equal(await runCli(["pods", "-o", "xml"], platform, io), 1);
  assert.match(io.stderr(), /allowed formats are: json,name,wide,yaml/);
});

test("formatTable pads columns as kubectl's tabwriter: at least 10 wide, 3 spaces between", () => {
  assert.equal(
    formatTable([["A", "LONGER-THAN-TEN", "Z"], ["bb", "c", "last"]]),
    "A         LONGER-THAN-TEN   Z\nbb        c                 last\n",
  );
});

/** A pod whose labels, annotations and env hold strings YAML 1.1 reads as booleans or numbers. */
function trickyPod(): Pod {
  const p = pod("tricky-n1", "default", true);
  p.metadata.labels = { enabled: "yes", legacy: "no", y: "n", tier: "on", mode: "off", app: "web" };
  p.metadata.annotations = { perm: "0755", port: "8080", time: "1:20", ratio: "1e3", none: "~", go: "0o17" };
  p.spec.containers[0].env = [{ name: "DEBUG", value: "Yes" }, { name: "EMPTY", value: "" }];
  p.spec.containers[0].command = ["sh", "-c", "true", "ON", "null", "2024-11-27"];
  return p;
}

test("kubelet pods -o yaml quotes what YAML 1.1 would read as a boolean or number: read back as kubectl does, it equals -o json", async () => {
  const list = { ...LIST, items: [trickyPod(), ...LIST.items] };
  const h = createStatusHandler({
    podList: () => list,
    machineSpec: () => Promise.resolve({} as MachineSpec),
  });
  const json = captureIo(h), yaml = captureIo(h);
  assert.equal(await runCli(["pods", "-o", "json"], platform, json), 0);
  assert.equal(await runCli(["pods", "-o", "yaml"], platform, yaml), 0);
  assert.deepEqual(parse(yaml.stdout(), { version: "1.1" }), JSON.parse(json.stdout()));
  assert.deepEqual(parse(yaml.stdout()), JSON.parse(json.stdout()));
  assert.match(yaml.stdout(), /enabled: "yes"/);
  assert.match(yaml.stdout(), /perm: "0755"/);
});

test("kubelet pods -l filters by label selector; -o name prints pod/NAME; --no-headers leaves out the header", async () => {
  const list = { ...LIST, items: [trickyPod(), ...LIST.items] };
  const h = createStatusHandler({
    podList: () => list,
    machineSpec: () => Promise.resolve({} as MachineSpec),
  });
  const cases: [string[], string][] = [
    [["-o", "name"], "pod/db-n1\npod/tricky-n1\npod/web-n1\n"],
    [["-l", "app=web", "-o", "name"], "pod/tricky-n1\n"],
    [["-l", "app!=web", "-o", "name"], "pod/db-n1\npod/web-n1\n"],
    [["-l", "tier in (on,x),enabled", "-o", "name"], "pod/tricky-n1\n"],
    [["-l", "!enabled", "-o", "name"], "pod/db-n1\npod/web-n1\n"],
  ];
  for (const [args, expected] of cases) {
    const io = captureIo(h);
    assert.equal(await runCli(["pods", ...args], platform, io), 0, args.join(" "));
    assert.equal(io.stdout(), expected, args.join(" "));
  }
  const io = captureIo(h);
  assert.equal(await runCli(["pods", "--no-headers", "-l", "app=web"], platform, io), 0);
  assert.match(io.stdout(), /^tricky-n1\s+2\/2\s+Running\s+0\s+\S+\n$/);
  const bad = captureIo(h);
  assert.equal(await runCli(["pods", "-l", "app in web"], platform, bad), 1);
  assert.match(bad.stderr(), /^error: unable to parse requirement: "app in web"/);
});
