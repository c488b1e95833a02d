/**
 * configMap, secret, downwardAPI and projected volumes end to end: the
 * kubelet's atomic-writer layout, updates reaching running containers
 * without a restart, secrets on tmpfs with their modes, a missing ConfigMap
 * holding the container back until it is added, and the opt-in restart
 * annotation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, rm, statfs, writeFile } from "node:fs/promises";
import { docker, getPod, inspect, nodeContainers, type NodeRun, run, waitFor, withNode } from "./_harness.ts";

const TMPFS_MAGIC = 0x01021994;

/** The pod's container `name` from /pods (its status), once listed. */
async function containerStatus(port: number, pod: string, name: string) {
  return (await getPod(port, pod))?.status?.containerStatuses?.find((c) => c.name === name);
}

/** The ID of the running container `name` of `pod` (`docker://` stripped), once it runs. */
async function runningId(port: number, pod: string, name: string): Promise<string> {
  return await waitFor(`${pod}/${name} running`, async () => {
    const s = await containerStatus(port, pod, name);
    return s?.state.running && s.containerID?.replace("docker://", "");
  });
}

/** `cat` of a file inside a running container. */
const catIn = (id: string, path: string) => docker("exec", id, "cat", path);

/** Mount points under `dir` (this host's mountinfo), innermost last. */
async function mountsUnder(dir: string): Promise<string[]> {
  const info = await readFile("/proc/self/mountinfo", "utf8");
  return info.split("\n").map((l) => l.split(" ")[4] ?? "").filter((m) => m.startsWith(`${dir}/`));
}

/**
 * Ends a test's pods the way a user does (manifests removed, pods torn down),
 * and resolves what the teardown left mounted (nothing, unless it failed;
 * `withVolumeNode` unmounts it).
 */
async function tearDown(r: NodeRun): Promise<string[]> {
  await rm(r.manifests, { recursive: true, force: true });
  await waitFor("the node's containers gone", async () => (await nodeContainers(r.node, true)).length === 0);
  // The volumes go after the containers: wait for the pod's directory to go.
  await waitFor(
    "the pods' directories gone",
    async () => (await run("ls", ["-A", `${r.rootDir}/pods`])) === "",
  )
    .catch(() => {});
  return await mountsUnder(r.rootDir);
}

/**
 * `withNode`, and whatever a failed test leaves mounted under the node's root
 * directory is unmounted (the kubelet frozen first, so it mounts nothing
 * again) before the node's directory is removed.
 */
function withVolumeNode(name: string, port: number, fn: (r: NodeRun) => Promise<void>): Promise<void> {
  return withNode(name, port, async (r) => {
    try {
      await fn(r);
    } finally {
      // Frozen, not ended (withNode ends it): it must not mount again while the mounts go.
      if (r.kubelet.proc.exitCode === null) r.kubelet.proc.kill("SIGSTOP");
      for (const m of (await mountsUnder(r.rootDir)).reverse()) await run("umount", [m]);
    }
  });
}

const site = (page: string) =>
  `apiVersion: v1
kind: ConfigMap
metadata: {name: site}
data:
  index.html: "${page}"
  extra.txt: "extra ${page}"
`;

test("nginx serves a page from a ConfigMap volume; an edited ConfigMap is served without a restart, a subPath keeps the old one", async () => {
  await withVolumeNode("cfgvol-nginx", 18491, async (r) => {
    await writeFile(`${r.manifests}/site.yaml`, site("<h1>one</h1>"));
    await writeFile(
      `${r.manifests}/web.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: nginx
    image: nginx:latest
    imagePullPolicy: Never
    volumeMounts:
    - {name: html, mountPath: /usr/share/nginx/html}
  - name: pinned
    image: busybox:latest
    imagePullPolicy: Never
    command: ["sleep", "1000"]
    volumeMounts:
    - {name: html, mountPath: /pinned.html, subPath: index.html}
    - {name: html, mountPath: /live}
  volumes:
  - name: html
    configMap: {name: site}
`,
    );
    const pod = `web-${r.node}`;
    const nginx = await runningId(r.port, pod, "nginx");
    const pinned = await runningId(r.port, pod, "pinned");
    const ip = (await getPod(r.port, pod))!.status!.podIP!;
    const page = async () => await (await fetch(`http://${ip}/`)).text();
    assert.equal(
      await waitFor("the first page", async () => (await page()).includes("one") && await page()),
      "<h1>one</h1>",
    );

    // The kubelet's layout on the host: ..data -> ..<timestamp>, index.html -> ..data/index.html.
    const dir = (await inspect(nginx)).Mounts.find((m: { Destination: string }) =>
      m.Destination === "/usr/share/nginx/html"
    );
    assert.match(dir.Source, /\/pods\/[^/]+\/volumes\/kubernetes\.io~configmap\/html$/);
    assert.equal(dir.RW, false);
    assert.match(
      await run("readlink", [`${dir.Source}/..data`]),
      /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\./,
    );
    assert.equal(await run("readlink", [`${dir.Source}/index.html`]), "..data/index.html");

    await writeFile(`${r.manifests}/site.yaml`, site("<h1>two</h1>"));
    assert.equal(
      await waitFor("the edited page", async () => (await page()).includes("two") && await page()),
      "<h1>two</h1>",
    );
    // All keys at once, in the running containers, with no restart.
    assert.equal(await catIn(pinned, "/live/extra.txt"), "extra <h1>two</h1>");
    assert.equal(await catIn(pinned, "/pinned.html"), "<h1>one</h1>");
    // Read-only for the workload, whatever the mount says: it cannot plant a link or a file.
    await assert.rejects(docker("exec", pinned, "ln", "-s", "/", "/live/escape"), /Read-only file system/);
    await assert.rejects(
      docker("exec", pinned, "sh", "-c", "echo x > /live/index.html"),
      /Read-only file system/,
    );
    const status = await containerStatus(r.port, pod, "nginx");
    assert.equal(status?.restartCount, 0);
    assert.equal(status?.containerID, `docker://${nginx}`);
    assert.equal((await containerStatus(r.port, pod, "pinned"))?.containerID, `docker://${pinned}`);
    // The old version is gone: one timestamped directory.
    const versions = (await run("ls", ["-a", dir.Source])).split("\n").filter((n) => /^\.\.\d{4}_/.test(n));
    assert.equal(versions.length, 1);
    assert.deepEqual(await tearDown(r), []);
  });
});

test("a Secret volume's files have mode 0400 and live on a tmpfs; a projected volume gathers ConfigMap, Secret and downward API", async () => {
  await withVolumeNode("cfgvol-secret", 18492, async (r) => {
    await writeFile(
      `${r.manifests}/objects.yaml`,
      `apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {token: s3cr3t-t0ken, user: admin}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: production}
`,
    );
    await writeFile(
      `${r.manifests}/app.yaml`,
      `apiVersion: v1
kind: Pod
metadata:
  name: app
  labels: {tier: backend, app: shop}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox:latest
    imagePullPolicy: Never
    command: ["sleep", "1000"]
    resources: {limits: {memory: 64Mi}}
    volumeMounts:
    - {name: creds, mountPath: /etc/creds}
    - {name: all, mountPath: /etc/all}
  volumes:
  - name: creds
    secret: {secretName: creds, defaultMode: 0400}
  - name: all
    projected:
      defaultMode: 0440
      sources:
      - configMap: {name: settings, items: [{key: mode, path: config/mode}]}
      - secret: {name: creds, items: [{key: user, path: config/user, mode: 0400}]}
      - downwardAPI:
          items:
          - {path: labels, fieldRef: {fieldPath: metadata.labels}}
          - {path: name, fieldRef: {fieldPath: metadata.name}}
          - {path: mem, resourceFieldRef: {containerName: main, resource: limits.memory, divisor: 1Mi}}
`,
    );
    const pod = `app-${r.node}`;
    const id = await runningId(r.port, pod, "main");
    assert.equal(await catIn(id, "/etc/creds/token"), "s3cr3t-t0ken");
    assert.equal(await docker("exec", id, "stat", "-L", "-c", "%a", "/etc/creds/token"), "400");
    // tmpfs inside the container, and on the host.
    const mounts = await catIn(id, "/proc/self/mountinfo");
    for (const target of ["/etc/creds", "/etc/all"]) {
      const line = mounts.split("\n").find((l) => l.split(" ")[4] === target);
      assert.match(line ?? "", / - tmpfs /, `${target}: ${line}`);
      assert.match(line ?? "", /^\S+ \S+ \S+ \S+ \S+ ro[,\s]/, `${target} is read-only: ${line}`);
    }
    const source = (await inspect(id)).Mounts.find((m: { Destination: string }) =>
      m.Destination === "/etc/creds"
    ).Source;
    assert.match(source, /\/volumes\/kubernetes\.io~secret\/creds$/);
    assert.equal((await statfs(source)).type, TMPFS_MAGIC);

    assert.equal(await catIn(id, "/etc/all/config/mode"), "production");
    assert.equal(await catIn(id, "/etc/all/config/user"), "admin");
    assert.equal(await catIn(id, "/etc/all/labels"), 'app="shop"\ntier="backend"');
    assert.equal(await catIn(id, "/etc/all/name"), pod);
    assert.equal(await catIn(id, "/etc/all/mem"), "64");
    assert.equal(await docker("exec", id, "stat", "-L", "-c", "%a", "/etc/all/config/mode"), "440");
    assert.equal(await docker("exec", id, "stat", "-L", "-c", "%a", "/etc/all/config/user"), "400");
    // Removing the pod unmounts its tmpfs volumes.
    assert.deepEqual(await tearDown(r), []);
  });
});

test("a missing ConfigMap keeps the container from starting (FailedMount); once added, it starts", async () => {
  await withVolumeNode("cfgvol-missing", 18493, async (r) => {
    await writeFile(
      `${r.manifests}/late.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: late}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox:latest
    imagePullPolicy: Never
    command: ["sleep", "1000"]
    volumeMounts: [{name: cfg, mountPath: /cfg}, {name: maybe, mountPath: /maybe}]
  volumes:
  - name: cfg
    configMap: {name: later}
  - name: maybe
    configMap: {name: never-there, optional: true}
`,
    );
    const pod = `late-${r.node}`;
    const message = 'MountVolume.SetUp failed for volume "cfg" : configmap "later" not found';
    const waiting = await waitFor("the container waiting with the mount's failure", async () => {
      const w = (await containerStatus(r.port, pod, "main"))?.state.waiting;
      return w?.message && w;
    });
    assert.deepEqual(waiting, { reason: "ContainerCreating", message });
    const events = await waitFor("a FailedMount event", async () => {
      const list = await (await fetch(
        `http://127.0.0.1:${r.port}/api/v1/namespaces/default/events?fieldSelector=reason=FailedMount`,
      )).json();
      return list.items.find((e: { message: string }) => e.message === message);
    });
    assert.equal(events.type, "Warning");
    assert.deepEqual(await nodeContainers(r.node, true), []);

    await writeFile(
      `${r.manifests}/later.yaml`,
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: later}\ndata: {k: v}\n",
    );
    const id = await runningId(r.port, pod, "main");
    assert.equal(await catIn(id, "/cfg/k"), "v");
    // The optional ConfigMap that never came is an empty volume.
    assert.equal(await docker("exec", id, "ls", "/maybe"), "");
    assert.deepEqual(await tearDown(r), []);
  });
});

test("io.kubernetes.standalone/restart-on-config-change restarts the annotated pod's containers on a change, and only those", async () => {
  await withVolumeNode("cfgvol-restart", 18494, async (r) => {
    const pod = (name: string, annotated: boolean) =>
      `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  annotations: {io.kubernetes.standalone/restart-on-config-change: "${annotated}"}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox:latest
    imagePullPolicy: Never
    command: ["sh", "-c", "cat /cfg/greeting; echo; sleep 1000"]
    volumeMounts: [{name: cfg, mountPath: /cfg}]
  - name: env
    image: busybox:latest
    imagePullPolicy: Never
    command: ["sh", "-c", "echo $GREETING; sleep 1000"]
    env: [{name: GREETING, valueFrom: {secretKeyRef: {name: word, key: greeting}}}]
  volumes:
  - name: cfg
    configMap: {name: greeting}
`;
    await writeFile(
      `${r.manifests}/greeting.yaml`,
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: greeting}\ndata: {greeting: hello}\n",
    );
    const word = (w: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata: {name: word}\nstringData: {greeting: ${w}}\n`;
    await writeFile(`${r.manifests}/word.yaml`, word("salut"));
    await writeFile(`${r.manifests}/restarts.yaml`, pod("restarts", true));
    await writeFile(`${r.manifests}/stays.yaml`, pod("stays", false));
    const restarts = await runningId(r.port, `restarts-${r.node}`, "main");
    const stays = await runningId(r.port, `stays-${r.node}`, "main");
    const envId = await runningId(r.port, `restarts-${r.node}`, "env");

    await writeFile(
      `${r.manifests}/greeting.yaml`,
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: greeting}\ndata: {greeting: bonjour}\n",
    );
    const restarted = await waitFor("the annotated pod's container replaced", async () => {
      const s = await containerStatus(r.port, `restarts-${r.node}`, "main");
      return s?.state.running && s.restartCount === 1 && s.containerID !== `docker://${restarts}` && s;
    });
    assert.equal(await docker("logs", restarted.containerID!.replace("docker://", "")), "bonjour");
    // The env consumer did not consume the ConfigMap: it keeps running until its Secret changes.
    assert.equal(
      (await containerStatus(r.port, `restarts-${r.node}`, "env"))?.containerID,
      `docker://${envId}`,
    );
    await writeFile(`${r.manifests}/word.yaml`, word("ciao"));
    const envRestarted = await waitFor("the env consumer replaced", async () => {
      const s = await containerStatus(r.port, `restarts-${r.node}`, "env");
      return s?.state.running && s.restartCount === 1 && s;
    });
    assert.equal(await docker("logs", envRestarted.containerID!.replace("docker://", "")), "ciao");
    assert.equal((await containerStatus(r.port, `restarts-${r.node}`, "main"))?.restartCount, 1);
    // The other pod sees the new file in place, without a restart.
    await waitFor(
      "the update in the other pod",
      async () => (await catIn(stays, "/cfg/greeting")) === "bonjour",
    );
    const other = await containerStatus(r.port, `stays-${r.node}`, "main");
    assert.deepEqual([other?.restartCount, other?.containerID], [0, `docker://${stays}`]);
    // The kill reason is a spec change; the Secret's values never reach the log.
    assert.match(
      r.kubelet.messages(),
      /killing container main of pod restarts-\S+ \(container spec changed\)/,
    );
    for (const value of ["salut", "ciao"]) assert.doesNotMatch(r.kubelet.logs(), new RegExp(value));
    assert.deepEqual(await tearDown(r), []);
  });
});
