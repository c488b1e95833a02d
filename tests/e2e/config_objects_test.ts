/**
 * ConfigMaps and Secrets from the manifest directory, end to end: env from a
 * Secret key and `envFrom` with a prefix reach the container; a missing
 * ConfigMap leaves it waiting with CreateContainerConfigError until the
 * ConfigMap is added; a pull from Debian's docker-registry with htpasswd auth
 * works with the pod's `imagePullSecrets` and fails without them; and no
 * Secret value ever shows in the kubelet's log or its status answers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import process from "node:process";
import {
  docker,
  e2eNode,
  e2ePort,
  getPod,
  inspect,
  nodeContainers,
  type NodeRun,
  run,
  waitFor,
  withNode,
} from "./_harness.ts";

/** Values that must never leave the container: each is searched for everywhere the kubelet speaks. */
const SECRET_VALUE = "s3cr3t-e2e-value-7d1f";
const REGISTRY_USER = "e2e-objects", REGISTRY_PASSWORD = "Pa55-e2e-objects-9c2b";

/** The kubelet's log and every status answer, as text: none may hold a Secret's value. */
async function everythingSaid(n: NodeRun): Promise<string> {
  const base = `http://127.0.0.1:${n.port}`;
  const answers = await Promise.all(
    ["/pods", "/runningpods/", "/", "/api/v1/events", "/api/v1/pods"].map(async (path) => {
      const res = await fetch(base + path);
      const text = await res.text();
      // A page that failed would hide nothing: each must answer, and name the node's pods.
      assert.ok(res.ok && text.includes(n.node), `${path} answered ${res.status} about ${n.node}`);
      return `${path}: ${text}`;
    }),
  );
  return [n.kubelet.logs(), ...answers].join("\n");
}

function assertNeverSaid(text: string, ...values: string[]): void {
  for (const value of values) {
    for (const form of [value, btoa(value)]) {
      assert.ok(!text.includes(form), `a Secret's value (${form === value ? "as is" : "base64"}) was shown`);
    }
  }
}

const waiting = async (port: number, name: string) =>
  (await getPod(port, name))?.status?.containerStatuses?.[0]?.state.waiting;

test("env from a Secret's key and envFrom with a prefix reach the container; the values never show", () =>
  withNode("objenv", 18481, async (n) => {
    await writeFile(
      `${n.manifests}/objects.yaml`,
      `apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {HOST: db.local, PORT: "5432"}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: ${SECRET_VALUE}, 1ST: not-a-name}
`,
    );
    await writeFile(
      `${n.manifests}/pod.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: ["sh", "-c", "sleep 1000"]
    envFrom:
    - {prefix: CONF_, configMapRef: {name: app-config}}
    - {secretRef: {name: creds}}
    env:
    - {name: CONF_PORT, value: "6543"}
    - {name: URL, value: "$(CONF_HOST):$(CONF_PORT)"}
    - name: DB_PASSWORD
      valueFrom: {secretKeyRef: {name: creds, key: password}}
    - name: MAYBE
      valueFrom: {configMapKeyRef: {name: app-config, key: absent, optional: true}}
`,
    );
    const name = `app-${n.node}`;
    await waitFor("the pod running", async () => (await getPod(n.port, name))?.status?.phase === "Running");
    const [container] = (await nodeContainers(n.node)).filter((c) => c.startsWith("k8s_main_"));
    const env: string[] = (await inspect(container)).Config.Env;
    for (
      const want of [
        "CONF_HOST=db.local",
        "CONF_PORT=6543",
        "URL=db.local:6543",
        `password=${SECRET_VALUE}`,
        `DB_PASSWORD=${SECRET_VALUE}`,
      ]
    ) {
      assert.ok(env.includes(want), `${want.split("=")[0]} in the container's environment`);
    }
    assert.ok(!env.some((e) => e.startsWith("MAYBE=") || e.startsWith("1ST=")));
    const events = await (await fetch(`http://127.0.0.1:${n.port}/api/v1/events`)).text();
    assert.match(events, /Keys \[1ST\] from the EnvFrom secret default\/creds were skipped/);
    assertNeverSaid(await everythingSaid(n), SECRET_VALUE);
  }, { args: ["--v=6"] }));

test("a missing ConfigMap leaves the container in CreateContainerConfigError; adding it starts the container", () =>
  withNode("objmissing", 18482, async (n) => {
    await writeFile(
      `${n.manifests}/pod.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: late}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: ["sh", "-c", "sleep 1000"]
    env:
    - name: MODE
      valueFrom: {configMapKeyRef: {name: later, key: mode}}
`,
    );
    const name = `late-${n.node}`;
    const first = await waitFor("CreateContainerConfigError", async () => {
      const w = await waiting(n.port, name);
      return w?.reason === "CreateContainerConfigError" && w;
    });
    assert.equal(first.message, 'configmap "later" not found');

    // The ConfigMap without the key: the kubelet's other message.
    await writeFile(
      `${n.manifests}/later.yaml`,
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: later}\ndata: {}\n",
    );
    await waitFor(
      "the missing key's message",
      async () =>
        (await waiting(n.port, name))?.message === "couldn't find key mode in ConfigMap default/later",
    );

    await writeFile(
      `${n.manifests}/later.yaml`,
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: later}\ndata: {mode: fast}\n",
    );
    await waitFor(
      "the container running",
      async () => (await getPod(n.port, name))?.status?.phase === "Running",
    );
    const [container] = (await nodeContainers(n.node)).filter((c) => c.startsWith("k8s_main_"));
    assert.ok((await inspect(container)).Config.Env.includes("MODE=fast"));
  }));

test("a broken Secret document is reported with its file, line and field, without its value, and keeps the last good one", () =>
  withNode("objbroken", 18483, async (n) => {
    const good =
      `apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {password: ${SECRET_VALUE}}\n`;
    await writeFile(`${n.manifests}/creds.yaml`, good);
    await writeFile(
      `${n.manifests}/pod.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: user}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: ["sh", "-c", "sleep 1000"]
    env:
    - name: P
      valueFrom: {secretKeyRef: {name: creds, key: password}}
`,
    );
    const name = `user-${n.node}`;
    await waitFor("the pod running", async () => (await getPod(n.port, name))?.status?.phase === "Running");
    await writeFile(
      `${n.manifests}/creds.yaml`,
      `apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\ndata: {password: "${SECRET_VALUE}!"}\n`,
    );
    await waitFor(
      "the broken Secret reported",
      () =>
        /creds\.yaml:1: secret "creds": data\[password\]: Invalid value: "<secret contents redacted>": illegal base64/
          .test(n.kubelet.messages()),
    );
    // The last good Secret is kept: the pod keeps running, untouched.
    assert.equal((await getPod(n.port, name))?.status?.phase, "Running");
    assertNeverSaid(await everythingSaid(n), SECRET_VALUE);
  }, { args: ["--v=6"] }));

/**
 * Debian's docker-registry with htpasswd auth on 127.0.0.1:`port`, holding
 * `image` (busybox, pushed with a login of its own), which is then removed
 * from the Engine so that the kubelet must pull it.
 */
async function privateRegistry(dir: string, port: number, image: string): Promise<ChildProcess> {
  const htpasswd = await run("htpasswd", ["-Bbn", REGISTRY_USER, REGISTRY_PASSWORD]);
  await writeFile(`${dir}/htpasswd`, htpasswd + "\n");
  await writeFile(
    `${dir}/registry.yml`,
    `version: 0.1
storage: {filesystem: {rootdirectory: ${dir}/registry}}
http: {addr: "127.0.0.1:${port}"}
auth: {htpasswd: {realm: e2e, path: ${dir}/htpasswd}}
`,
  );
  const registry = spawn("/usr/bin/docker-registry", ["serve", `${dir}/registry.yml`], { stdio: "ignore" });
  await waitFor("the registry", async () => (await fetch(`http://127.0.0.1:${port}/v2/`)).status === 401);
  await mkdir(`${dir}/login`);
  // A config dir of our own: the shared ~/.docker/config.json is left alone.
  const login = ["--config", `${dir}/login`];
  await run("docker", [
    ...login,
    "login",
    `127.0.0.1:${port}`,
    "--username",
    REGISTRY_USER,
    "--password",
    REGISTRY_PASSWORD,
  ]);
  await docker("tag", "busybox:latest", image);
  await run("docker", [...login, "push", image]);
  await docker("rmi", image);
  return registry;
}

test("imagePullSecrets: a pull without the pod's Secret fails with the registry's error, with it the pod runs", async () => {
  const registryPort = e2ePort(15000);
  const image = `127.0.0.1:${registryPort}/e2e/${e2eNode("objpull")}:secret`;
  let registry: ChildProcess | undefined;
  try {
    await withNode("objpull", 18484, async (n) => {
      registry = await privateRegistry(n.dir, registryPort, image);
      const auth = btoa(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`);
      const config = JSON.stringify({ auths: { [`127.0.0.1:${registryPort}`]: { auth } } });
      await writeFile(
        `${n.manifests}/registry.yaml`,
        `apiVersion: v1
kind: Secret
metadata: {name: registry}
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '${config}'
`,
      );
      const pod = (name: string, extra: string) =>
        `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 2
${extra}  containers:
  - name: main
    image: ${image}
    command: ["sh", "-c", "sleep 1000"]
`;
      await writeFile(`${n.manifests}/without.yaml`, pod("without", ""));
      const failed = await waitFor("ErrImagePull without the pull secret", async () => {
        const w = await waiting(n.port, `without-${n.node}`);
        return w?.reason === "ErrImagePull" && w;
      }, { timeoutMs: 60_000 });
      assert.match(failed.message ?? "", /no basic auth credentials|unauthorized|authentication required/i);

      await writeFile(`${n.manifests}/with.yaml`, pod("with", "  imagePullSecrets: [{name: registry}]\n"));
      await waitFor(
        "the pod with the pull secret running",
        async () => (await getPod(n.port, `with-${n.node}`))?.status?.phase === "Running",
        { timeoutMs: 60_000 },
      );
      assertNeverSaid(await everythingSaid(n), REGISTRY_PASSWORD, auth);
    }, { args: ["--v=6"], env: { DOCKER_CONFIG: "/nonexistent-e2e-docker-config" } });
  } finally {
    if (registry?.pid) process.kill(registry.pid, "SIGTERM");
    await docker("rmi", "-f", image).catch(() => {});
  }
});
