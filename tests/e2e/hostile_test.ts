/**
 * Hostile manifests and workloads on the real Engine (issue 10): each test
 * tries an attack for real and checks the host is untouched — a subPath
 * through a planted symlink, a `..` or shared pod UID, a stray container with
 * only the node label, `:` in a mountPath, a probe redirected to the host's
 * loopback, a DNS-rebinding Host header, and a URL source redirected to
 * another host.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import process from "node:process";
import {
  BINARY,
  busyboxPod,
  cleanup,
  docker,
  e2eNode,
  e2ePort,
  getPod,
  getPods,
  inspect,
  nodeContainers,
  run,
  startKubelet,
  tempDir,
  waitFor,
  withNode,
} from "./_harness.ts";

const exists = async (path: string) => (await stat(path).catch(() => null)) !== null;

/** A keeper pod: writes a marker into its emptyDir and sleeps. */
function keeperPod(name: string, uid?: string): string {
  return busyboxPod(
    name,
    "echo kept > /data/marker; sleep 1000",
    "  volumes: [{name: data, emptyDir: {}}]\n",
  )
    .replace("    command:", "    volumeMounts: [{name: data, mountPath: /data}]\n    command:")
    .replace(`  name: ${name}\n`, `  name: ${name}\n${uid ? `  uid: ${JSON.stringify(uid)}\n` : ""}`);
}

/** Waits until `name`'s marker is on the host; resolves its path. */
async function keeperMarker(port: number, rootDir: string, name: string): Promise<string> {
  return await waitFor(`${name}'s marker`, async () => {
    const pod = await getPod(port, name);
    const marker = `${rootDir}/pods/${pod?.metadata.uid}/volumes/kubernetes.io~empty-dir/data/marker`;
    return pod?.status?.phase === "Running" && await exists(marker) && marker;
  });
}

/** Adds a pod and waits for it to run: proof that the kubelet went on syncing after what came before. */
async function addAndWaitRunning(manifests: string, port: number, node: string, name: string): Promise<void> {
  await writeFile(`${manifests}/${name}.yaml`, busyboxPod(name, "sleep 1000"));
  await waitFor(
    `${name} running`,
    async () => (await getPod(port, `${name}-${node}`))?.status?.phase === "Running",
  );
}

test("a subPath through a symlink the workload planted never starts the container and makes nothing on the host", () =>
  withNode("hostile-subpath", 18391, async ({ node, port, dir, manifests, kubelet }) => {
    const hostside = `${dir}/hostside`;
    await mkdir(hostside);
    await writeFile(`${hostside}/marker`, "host-secret\n");
    await writeFile(
      `${manifests}/escape.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: escape}
spec:
  terminationGracePeriodSeconds: 2
  volumes: [{name: shared, emptyDir: {}}]
  initContainers:
  - name: plant
    image: busybox
    imagePullPolicy: Never
    command: ["sh", "-c", "ln -s ${hostside} /shared/escape"]
    volumeMounts: [{name: shared, mountPath: /shared}]
  containers:
  - name: victim
    image: busybox
    imagePullPolicy: Never
    command: ["sh", "-c", "cat /host/marker; sleep 1000"]
    volumeMounts: [{name: shared, mountPath: /host, subPath: escape}]
  - name: creator
    image: busybox
    imagePullPolicy: Never
    command: ["sh", "-c", "sleep 1000"]
    volumeMounts: [{name: shared, mountPath: /made, subPath: escape/made-by-kubelet/deeper}]
`,
    );
    // Settled: each container either refused or (what an unguarded kubelet does) started.
    const pod = await waitFor("both containers settled", async () => {
      const p = await getPod(port, `escape-${node}`);
      const statuses = p?.status?.containerStatuses ?? [];
      const settled = (s: (typeof statuses)[number]) =>
        s.state?.running || s.state?.terminated || s.state?.waiting?.reason === "CreateContainerConfigError";
      return statuses.length === 2 && statuses.every(settled) && p;
    });
    assert.deepEqual(await readdir(hostside), ["marker"], "nothing was made through the link");
    const names = await nodeContainers(node, true);
    assert.ok(!names.some((n) => /^k8s_(victim|creator)_/.test(n)), `never created: ${names}`);
    for (const s of pod.status!.containerStatuses!) {
      assert.equal(s.state?.waiting?.reason, "CreateContainerConfigError", s.name);
      assert.match(
        s.state!.waiting!.message!,
        /subPath "escape.*is a symbolic link; a subPath must not cross links/,
      );
      assert.equal(s.ready, false);
    }
    assert.ok(!kubelet.logs().includes("host-secret"));
  }));

test("a pod with uid '..' or '.' or a UID another manifest holds is refused, and a keeper pod's data survives", () =>
  withNode("hostile-uid", 18392, async ({ node, port, manifests, rootDir, kubelet }) => {
    await writeFile(`${manifests}/keeper.yaml`, keeperPod("keeper", "keeper-uid-1"));
    const marker = await keeperMarker(port, rootDir, `keeper-${node}`);
    assert.equal(marker, `${rootDir}/pods/keeper-uid-1/volumes/kubernetes.io~empty-dir/data/marker`);
    await writeFile(`${manifests}/dotdot.yaml`, keeperPod("dotdot", ".."));
    await writeFile(`${manifests}/dot.yaml`, keeperPod("dot", "."));
    await writeFile(`${manifests}/same.yaml`, keeperPod("same", "keeper-uid-1"));
    await addAndWaitRunning(manifests, port, node, "after");
    // Removing the pods tears them down: an unguarded kubelet removes <root-dir>/pods/.. and ./.
    for (const f of ["dotdot", "dot", "same"]) await rm(`${manifests}/${f}.yaml`);
    await addAndWaitRunning(manifests, port, node, "after2");
    await waitFor("no container of the refused pods left", async () => {
      const names = await nodeContainers(node, true);
      return !names.some((n) => /_(dotdot|dot|same)-/.test(n));
    });
    assert.equal(await readFile(marker, "utf8"), "kept\n");
    assert.ok(await exists(`${rootDir}/pods`));
    const logs = kubelet.messages();
    assert.match(logs, /dotdot\.yaml.*: metadata\.uid: Invalid value: "\.\."/);
    assert.match(logs, /\/dot\.yaml.*: metadata\.uid: Invalid value: "\."/);
    assert.ok(logs.includes(`is already used by pod "keeper-${node}_default" (${manifests}/keeper.yaml)`));
    const listed = (await getPods(port)).items.map((p) => p.metadata.name).sort();
    assert.deepEqual(listed, [`after-${node}`, `after2-${node}`, `keeper-${node}`]);
    assert.equal((await getPod(port, `keeper-${node}`))?.status?.phase, "Running");
  }));

test("a stray container with only the node label is never adopted or touched, and every pod's data stays", () =>
  withNode("hostile-stray", 18393, async ({ node, port, manifests, rootDir, kubelet }) => {
    const stray = `${e2eNode("stray")}-${process.pid}`;
    try {
      await writeFile(`${manifests}/keeper.yaml`, keeperPod("keeper"));
      const marker = await keeperMarker(port, rootDir, `keeper-${node}`);
      await docker(
        "run",
        "-d",
        "--name",
        stray,
        "--label",
        `io.kubernetes.standalone.node=${node}`,
        "busybox",
        "sleep",
        "1000",
      );
      // An exited container of an adopted pod would be torn down, and its pod directory removed.
      await docker("kill", stray);
      await addAndWaitRunning(manifests, port, node, "after");
      await addAndWaitRunning(manifests, port, node, "after2");
      assert.equal(await readFile(marker, "utf8"), "kept\n");
      const state = (await inspect(stray)).State;
      assert.equal(state.Status, "exited", "the stray is still there, as it was left");
      await waitFor(
        "the stray logged as foreign",
        () => kubelet.logs().includes(`ignoring container /${stray}`),
      );
      assert.equal(kubelet.logs().split(`ignoring container /${stray}`).length - 1, 1, "logged once");
      assert.ok(!(await getPods(port)).items.some((p) => p.metadata.name === "_" || p.metadata.name === ""));
    } finally {
      await docker("rm", "-f", stray).catch(() => {});
    }
  }));

test("a ':' in a mountPath stays part of the path and never becomes a mount option (:ro, :z)", () =>
  withNode("hostile-colon", 18394, async ({ node, dir, manifests }) => {
    await writeFile(
      `${manifests}/colon.yaml`,
      busyboxPod(
        "colon",
        'echo written > "/x:ro/out"; ls -d "/etc-copy:z" > "/x:ro/z"; sleep 1000',
        `  volumes:
  - {name: out, hostPath: {path: ${dir}/out, type: DirectoryOrCreate}}
  - {name: z, hostPath: {path: ${dir}/z, type: DirectoryOrCreate}}
`,
      ).replace(
        "    command:",
        `    volumeMounts: [{name: out, mountPath: "/x:ro"}, {name: z, mountPath: "/etc-copy:z"}]\n    command:`,
      ),
    );
    await waitFor("the container's output", () => exists(`${dir}/out/z`));
    assert.equal(await readFile(`${dir}/out/out`, "utf8"), "written\n", "writable: ':ro' was no option");
    assert.equal(await readFile(`${dir}/out/z`, "utf8"), "/etc-copy:z\n");
    const id = await docker(
      "ps",
      "-q",
      "--filter",
      `label=io.kubernetes.standalone.node=${node}`,
      "--filter",
      "label=io.kubernetes.container.name=main",
    );
    const mounts = (await inspect(id)).Mounts as { Source: string; Destination: string; RW: boolean }[];
    const byTarget = Object.fromEntries(mounts.map((m) => [m.Destination, m]));
    assert.deepEqual([byTarget["/x:ro"]?.Source, byTarget["/x:ro"]?.RW], [`${dir}/out`, true]);
    assert.deepEqual([byTarget["/etc-copy:z"]?.Source, byTarget["/etc-copy:z"]?.RW], [`${dir}/z`, true]);
  }));

/** An HTTP server on `host:port` that counts requests and keeps their headers. */
async function countingServer(
  host: string,
  port: number,
  answer: (res: import("node:http").ServerResponse) => void,
): Promise<{ requests: IncomingHttpHeaders[]; close: () => Promise<void> }> {
  const requests: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.headers);
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    requests,
    close: () =>
      new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

test("a probe the workload redirects to the host's loopback never reaches it", () =>
  withNode("hostile-probe", 18395, async ({ node, port, dir, manifests }) => {
    const watched = await countingServer("127.0.0.1", e2ePort(18396), (res) => res.end("host service\n"));
    try {
      // busybox httpd runs a CGI script that answers every probe with a redirect to the host's loopback.
      await mkdir(`${dir}/www/cgi-bin`, { recursive: true });
      await writeFile(
        `${dir}/www/cgi-bin/r`,
        "#!/bin/sh\necho hit >> /tmp/hits\n" +
          `printf 'HTTP/1.0 302 Found\\r\\nLocation: http://127.0.0.1:${e2ePort(18396)}/\\r\\n\\r\\n'\n`,
        { mode: 0o755 },
      );
      const script = "exec httpd -f -p 80 -h /www";
      await writeFile(
        `${manifests}/redirect.yaml`,
        `apiVersion: v1
kind: Pod
metadata: {name: redirect}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: web
    image: busybox
    imagePullPolicy: Never
    command: ["sh", "-c", ${JSON.stringify(script)}]
    volumeMounts: [{name: www, mountPath: /www, readOnly: true}]
    readinessProbe:
      httpGet: {port: 80, path: /cgi-bin/r, httpHeaders: [{name: Authorization, value: Bearer probe-secret}]}
      periodSeconds: 1
    livenessProbe:
      httpGet: {port: 80, path: /cgi-bin/r}
      initialDelaySeconds: 2
      periodSeconds: 1
      failureThreshold: 1
  volumes: [{name: www, hostPath: {path: ${dir}/www, type: Directory}}]
`,
      );
      // The redirect elsewhere counts as success, as the kubelet counts it: the pod becomes ready.
      await waitFor("the pod ready", async () => {
        const p = await getPod(port, `redirect-${node}`);
        return p?.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
      });
      const id = await docker(
        "ps",
        "-q",
        "--filter",
        `label=io.kubernetes.standalone.node=${node}`,
        "--filter",
        "label=io.kubernetes.container.name=web",
      );
      await waitFor("several probes answered with the redirect", async () => {
        const hits = await docker("exec", id, "cat", "/tmp/hits");
        return hits.split("\n").length >= 6;
      });
      assert.equal(watched.requests.length, 0, "the host's 127.0.0.1 listener was never reached");
      assert.equal((await getPod(port, `redirect-${node}`))?.status?.containerStatuses?.[0].restartCount, 0);
    } finally {
      await watched.close();
    }
  }));

test("the status server answers 403 to a DNS-rebinding Host header and still serves its node page", () =>
  withNode("hostile-host", 18397, async ({ node, port }) => {
    const curl = (...args: string[]) =>
      run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", ...args, `http://127.0.0.1:${port}/pods`]);
    assert.equal(await curl("-H", "Host: evil.example"), "403");
    assert.equal(await curl("-H", `Host: evil.example:${port}`), "403");
    assert.equal(await curl(), "200");
    assert.equal(await curl("-H", `Host: localhost:${port}`), "200");
    assert.equal(await curl("-H", `Host: ${node}:${port}`), "200");
    const page = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), new RegExp(node));
  }));

test("the URL source never sends its --manifest-url-header to the host a redirect names", async () => {
  const node = e2eNode("hostile-url");
  const port = e2ePort(18398);
  const otherPort = e2ePort(18389);
  const other = await countingServer(
    "127.0.0.2",
    otherPort,
    (res) => res.end(busyboxPod("moved", "sleep 1000")),
  );
  const named = await countingServer("127.0.0.1", e2ePort(18388), (res) => {
    res.writeHead(302, { location: `http://127.0.0.2:${otherPort}/pods` }).end();
  });
  const dir = await tempDir(node);
  await cleanup(node);
  const kubelet = await startKubelet({
    node,
    port,
    rootDir: `${dir}/root`,
    args: [
      `--manifest-url=http://127.0.0.1:${e2ePort(18388)}/pods`,
      "--manifest-url-header=X-Token:h10-secret",
      "--http-check-frequency=1s",
    ],
  });
  try {
    await waitFor(
      "the redirected pod running",
      async () => (await getPod(port, `moved-${node}`))?.status?.phase === "Running",
    );
    assert.ok(named.requests.length >= 1);
    assert.ok(named.requests.every((h) => h["x-token"] === "h10-secret"), "the named host gets the header");
    assert.ok(other.requests.length >= 1);
    assert.deepEqual(
      other.requests.map((h) => h["x-token"]).filter(Boolean),
      [],
      "the other host never does",
    );
  } finally {
    await kubelet.stop("SIGKILL");
    await named.close();
    await other.close();
    await cleanup(node, dir);
  }
});

test("a --manifest-url-header value with CR/LF is refused at start-up with exit 2 naming the flag", async () => {
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(
      BINARY,
      [
        `--hostname-override=${e2eNode("hostile-crlf")}`,
        "--read-only-port=0",
        "--manifest-url=http://127.0.0.1:1/pods",
        "--manifest-url-header=X-Token:a\r\nX-Injected: 1",
      ],
      { timeout: 20_000, killSignal: "SIGKILL" },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
  assert.equal(code, 2);
  assert.match(stderr, /--manifest-url-header: the value of "X-Token" holds a line break or NUL/);
});
