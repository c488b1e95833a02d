/**
 * kubectl against the node: the real kubectl (`/usr/bin/kubectl`) and
 * `@kubernetes/client-node` read the compiled binary's read-only port, through
 * the kubeconfig `kubelet kubeconfig` prints, while the kubelet drives the
 * real Engine: lists, Tables, selectors, YAML and JSONPath, a watch that sees
 * a restart, logs (follow, previous, tail), describe with events, the node,
 * events, a refused delete, and the client library's list and watch.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { parse } from "yaml";
import * as k8s from "@kubernetes/client-node";
import {
  BINARY,
  cleanup,
  docker,
  e2eNode,
  e2ePort,
  freshNode,
  getPod,
  type RunningKubelet,
  startKubelet,
  waitFor,
} from "./_harness.ts";

const KUBECTL = "/usr/bin/kubectl";
const node = e2eNode("kubectl");
const port = e2ePort(18413);
let dir = "";
let kubeconfig = "";
let kubelet: RunningKubelet | undefined;
const web = `web-${node}`, crash = `crashonce-${node}`;

const manifest = (name: string, app: string, script: string, extra = "") =>
  `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: ${app}}
spec:
  terminationGracePeriodSeconds: 2
${extra}  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: ["sh", "-c", ${JSON.stringify(script)}]
`;

/** Runs a kubectl binary with the test's kubeconfig; resolves its output and exit code. */
function kubectlWith(binary: string, ...args: string[]) {
  const r = spawnSync(binary, ["--kubeconfig", kubeconfig, "--request-timeout=20s", ...args], {
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `/usr/bin/kubectl`: on our machines Google's dispatcher, which runs the kubectl of the server's minor version. */
const kubectl = (...args: string[]) => kubectlWith(KUBECTL, ...args);

/** The dispatcher's versioned kubectl binaries (`kubectl.1.27` ... `kubectl.1.33`): the oldest and the newest. */
const VERSIONED = (() => {
  const dir = "/usr/lib/google-cloud-sdk/bin";
  const found = (existsSync(dir) ? readdirSync(dir) : []).filter((f) => /^kubectl\.1\.\d+$/.test(f))
    .sort((a, b) => Number(a.split(".")[2]) - Number(b.split(".")[2]));
  return [...new Set([found[0], found.at(-1)])].filter(Boolean).map((f) => `${dir}/${f}`);
})();

/** Starts a long-running kubectl; `until` is polled on its output, then it is stopped. */
async function kubectlUntil(args: string[], what: string, until: (out: string) => boolean) {
  const proc = spawn(KUBECTL, ["--kubeconfig", kubeconfig, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "", err = "";
  proc.stdout.on("data", (d) => (out += d));
  proc.stderr.on("data", (d) => (err += d));
  try {
    await waitFor(what, () => until(out), { timeoutMs: 30_000, intervalMs: 100 });
  } catch (error) {
    throw new Error(`${(error as Error).message}\nstdout: ${out}\nstderr: ${err}`);
  } finally {
    proc.kill("SIGKILL");
  }
  return out;
}

const appContainer = async (pod: string) =>
  (await getPod(port, pod))?.status?.containerStatuses?.[0]?.containerID?.replace("docker://", "");

before(async () => {
  const fresh = await freshNode(node);
  dir = fresh.dir;
  await writeFile(
    `${fresh.manifests}/web.yaml`,
    manifest("web", "web", "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; done"),
  );
  // Exits 1 on its first run, then runs: `logs -p` has a previous instance to show.
  await writeFile(
    `${fresh.manifests}/crashonce.yaml`,
    manifest(
      "crashonce",
      "db",
      "echo run; if [ -f /data/ran ]; then sleep 1000; fi; touch /data/ran; echo first run; exit 1",
      "  volumes: [{name: data, emptyDir: {}}]\n",
    ).replace("    command:", "    volumeMounts: [{name: data, mountPath: /data}]\n    command:"),
  );
  kubelet = await startKubelet({ node, port, manifests: fresh.manifests, rootDir: fresh.rootDir });
  const config = spawnSync(BINARY, ["kubeconfig", "--server", `http://127.0.0.1:${port}`], {
    encoding: "utf8",
  });
  assert.equal(config.status, 0, config.stderr);
  kubeconfig = `${dir}/kubeconfig`;
  await writeFile(kubeconfig, config.stdout);
  await waitFor("both pods running", async () => {
    const w = await getPod(port, web), c = await getPod(port, crash);
    return w?.status?.containerStatuses?.[0].ready && c?.status?.containerStatuses?.[0].restartCount === 1 &&
      c.status.containerStatuses[0].ready;
  });
});

after(async () => {
  await kubelet?.stop("SIGKILL");
  await cleanup(node, dir);
});

test("kubectl get pods -A prints the pods with kubectl's columns", () => {
  const r = kubectl("get", "pods", "-A");
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split("\n");
  assert.match(lines[0], /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
  assert.match(r.out, new RegExp(`default\\s+${web}\\s+1/1\\s+Running\\s+0\\s+\\d+s`));
  assert.match(r.out, new RegExp(`default\\s+${crash}\\s+1/1\\s+Running\\s+1 \\(\\d+s ago\\)\\s+\\d+s`));
});

test("kubectl get pods -o wide adds IP and NODE", () => {
  const r = kubectl("get", "pods", "-o", "wide");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out.split("\n")[0], /IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
  assert.match(
    r.out,
    new RegExp(`${web}\\s+1/1\\s+Running\\s+0\\s+\\d+s\\s+172\\.\\d+\\.\\d+\\.\\d+\\s+${node}\\s`),
  );
});

test("kubectl get pod -o yaml and -o jsonpath give the pod object", () => {
  const y = kubectl("get", "pod", web, "-o", "yaml");
  assert.equal(y.code, 0, y.err);
  const pod = parse(y.out);
  assert.equal(pod.kind, "Pod");
  assert.equal(pod.metadata.name, web);
  assert.match(pod.metadata.resourceVersion, /^\d+$/);
  assert.equal(pod.status.phase, "Running");
  const j = kubectl("get", "pod", web, "-o", "jsonpath={.status.phase} {.spec.containers[0].name}");
  assert.equal(j.out, "Running main");
});

test("kubectl get pods -l and --field-selector select on the server", () => {
  const l = kubectl("get", "pods", "-l", "app=web", "-o", "name");
  assert.equal(l.out.trim(), `pod/${web}`);
  const notin = kubectl("get", "pods", "-l", "app notin (web)", "-o", "name");
  assert.equal(notin.out.trim(), `pod/${crash}`);
  const f = kubectl("get", "pods", "--field-selector", "status.phase=Running", "-o", "name");
  assert.deepEqual(f.out.trim().split("\n").sort(), [`pod/${crash}`, `pod/${web}`]);
  const none = kubectl("get", "pods", "--field-selector", "status.phase=Failed");
  assert.match(none.err, /No resources found/);
});

test("kubectl get pod of a missing pod prints the API server's NotFound", () => {
  const r = kubectl("get", "pod", "nope");
  assert.equal(r.code, 1);
  assert.equal(r.err.trim(), 'Error from server (NotFound): pods "nope" not found');
});

test("kubectl get pod -w shows the restart of a killed container", async () => {
  const id = await appContainer(web);
  assert.ok(id);
  let killed = false;
  const out = await kubectlUntil(["get", "pod", web, "-w"], "the watch to show the restart", (o) => {
    if (o.includes(`${web} `) && !killed) {
      killed = true;
      docker("kill", id!).catch(() => {});
    }
    return /\s1 \(\d+s ago\)/.test(o);
  });
  assert.match(out, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
  await waitFor(
    "web ready again",
    async () => (await getPod(port, web))?.status?.containerStatuses?.[0].ready,
  );
});

test("kubectl logs, --tail, -f and -p", async () => {
  const all = kubectl("logs", web);
  assert.equal(all.code, 0, all.err);
  assert.match(all.out, /^line 0\n/);
  const tail = kubectl("logs", web, "--tail", "2");
  assert.equal(tail.out.trim().split("\n").length, 2);
  const prev = kubectl("logs", crash, "-p");
  assert.equal(prev.code, 0, prev.err);
  assert.equal(prev.out, "run\nfirst run\n");
  const current = kubectl("logs", crash, "-c", "main");
  assert.equal(current.out, "run\n");
  const follow = await kubectlUntil(
    ["logs", "-f", "--tail", "1", web],
    "three followed lines",
    (o) => o.trim().split("\n").length >= 3,
  );
  assert.match(follow, /^line \d+\nline \d+\nline \d+/);
});

test("kubectl describe pod shows its Events from the kubelet", () => {
  const r = kubectl("describe", "pod", crash);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`Name:\\s+${crash}`));
  assert.match(r.out, /Restart Count:\s+1/);
  const events = r.out.slice(r.out.indexOf("Events:"));
  assert.match(events, /Type\s+Reason\s+Age\s+From\s+Message/);
  assert.match(events, /Normal\s+Created\s+.*kubelet\s+Created container main/);
  assert.match(events, /Normal\s+Started\s+.*kubelet\s+Started container main/);
  assert.match(events, /Normal\s+Pulled\s+.*already present on machine/);
});

test("kubectl get nodes -o wide and describe node show the node's facts", () => {
  const r = kubectl("get", "nodes", "-o", "wide");
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out.split("\n")[0],
    /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/,
  );
  assert.match(
    r.out,
    new RegExp(`^${node}\\s+Ready\\s+<none>\\s+\\d+s\\s+v1\\.\\d+\\.0\\+standalone\\S*\\s.*docker://`, "m"),
  );
  const d = kubectl("describe", "node", node);
  assert.equal(d.code, 0, d.err);
  for (const cond of ["MemoryPressure", "DiskPressure", "PIDPressure"]) {
    assert.match(d.out, new RegExp(`${cond}\\s+False`));
  }
  assert.match(d.out, /Ready\s+True\s.*KubeletReady/);
  assert.match(d.out, /Container Runtime Version:\s+docker:\/\//);
  assert.match(d.out, /Non-terminated Pods:\s+\(2 in total\)/);
});

test("kubectl get events lists the kubelet's events, with counts", () => {
  const r = kubectl("get", "events");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out.split("\n")[0], /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
  assert.match(r.out, new RegExp(`Normal\\s+Started\\s+pod/${web}\\s+Started container main`));
  // crashonce started twice: one event, counted twice (the wide columns show COUNT).
  const wide = kubectl("get", "events", "-o", "wide", "--field-selector", `involvedObject.name=${crash}`);
  assert.match(
    wide.out,
    new RegExp(
      `Started\\s+pod/${crash}\\s+spec\\.containers\\{main\\}\\s+kubelet, ${node}\\s+Started container main\\s+\\S+\\s+2\\s`,
    ),
  );
  assert.doesNotMatch(wide.out, new RegExp(`pod/${web}`));
});

test("kubectl delete pod is refused with MethodNotAllowed and changes nothing", async () => {
  const before = await appContainer(web);
  const r = kubectl("delete", "pod", web, "--wait=false");
  assert.equal(r.code, 1);
  assert.match(r.err, /Error from server \(MethodNotAllowed\)/);
  assert.equal(await appContainer(web), before);
  assert.equal(kubectl("get", "pod", web, "-o", "name").out.trim(), `pod/${web}`);
});

test("kubectl get --raw /healthz", () => {
  assert.equal(kubectl("get", "--raw", "/healthz").out, "ok");
});

test("@kubernetes/client-node lists pods and watches them", async () => {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const api = kc.makeApiClient(k8s.CoreV1Api);
  const list = await api.listPodForAllNamespaces({ labelSelector: "app=web" });
  assert.deepEqual(list.items.map((p) => p.metadata?.name), [web]);
  const pod = await api.readNamespacedPod({ name: crash, namespace: "default" });
  assert.equal(pod.status?.phase, "Running");
  await assert.rejects(
    api.readNamespacedPod({ name: "nope", namespace: "default" }),
    (e: { code?: number }) => e.code === 404,
  );
  const seen: string[] = [];
  const watch = new k8s.Watch(kc);
  const request = await watch.watch(
    "/api/v1/namespaces/default/pods",
    { resourceVersion: list.metadata?.resourceVersion, fieldSelector: `metadata.name=${web}` },
    (type, obj) =>
      seen.push(`${type} ${obj.metadata.name} ${obj.status.containerStatuses?.[0]?.restartCount}`),
    () => {},
  );
  const id = await appContainer(web);
  const restarts = (await getPod(port, web))!.status!.containerStatuses![0].restartCount;
  await docker("kill", id!);
  await waitFor(
    "a MODIFIED event with the restart",
    () => seen.some((s) => s === `MODIFIED ${web} ${restarts + 1}`),
  );
  request.abort();
});

for (const binary of VERSIONED) {
  const version = binary.slice(binary.lastIndexOf("kubectl."));
  test(`${version}: get, -o yaml, nodes, describe with events, logs, NotFound and a refused delete`, () => {
    const k = (...args: string[]) => kubectlWith(binary, ...args);
    const pods = k("get", "pods", "-A", "-o", "wide");
    assert.equal(pods.code, 0, pods.err);
    assert.match(pods.out, new RegExp(`default\\s+${web}\\s+1/1\\s+Running\\s+\\d+`));
    assert.equal(parse(k("get", "pod", crash, "-o", "yaml").out).status.containerStatuses[0].restartCount, 1);
    assert.match(k("get", "nodes", "-o", "wide").out, new RegExp(`^${node}\\s+Ready\\s.*docker://`, "m"));
    assert.match(k("describe", "pod", crash).out, /Normal\s+Started\s+.*kubelet\s+Started container main/);
    assert.match(k("logs", crash, "-p").out, /^run\nfirst run\n$/);
    assert.equal(k("get", "pod", "nope").err.trim(), 'Error from server (NotFound): pods "nope" not found');
    const del = k("delete", "pod", web, "--wait=false");
    assert.equal(del.code, 1);
    assert.match(del.err, /Error from server \(MethodNotAllowed\)/);
  });
}

test("a watch with nothing to report stays open past the server's idle timeout, and ends when the kubelet stops", async () => {
  const list = await (await fetch(`http://127.0.0.1:${port}/api/v1/pods`)).json();
  const res = await fetch(
    `http://127.0.0.1:${port}/api/v1/pods?watch=true&labelSelector=app%3Dnone&resourceVersion=${list.metadata.resourceVersion}`,
  );
  const reader = res.body!.getReader();
  let state = "open";
  const reading = (async () => {
    try {
      while (!(await reader.read()).done);
      state = "ended";
    } catch (error) {
      state = `failed: ${(error as Error).message}`;
    }
  })();
  // Bun's default idle timeout is 10 s: without turning it off, the connection is reset here.
  await new Promise((r) => setTimeout(r, 12_000));
  assert.equal(state, "open");
  assert.equal(await kubelet!.stop("SIGTERM"), 0);
  await reading;
  assert.equal(state, "ended");
});
