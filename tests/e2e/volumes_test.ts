/**
 * Volumes, mounts and ports end to end: hostPath types, emptyDir on disk and
 * in memory, readOnly and subPath mounts, a hostPort on 127.0.0.1, and the
 * container fields command, args, env and workingDir.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { docker, e2ePort, getPod, inspect, waitFor, withNode } from "./_harness.ts";

test("hostPath types, emptyDir (disk and Memory), readOnly and subPath mounts reach the container as written", () =>
  withNode("volumes", 18341, async ({ node, port, dir }) => {
    await mkdir(`${dir}/existing-dir`);
    await writeFile(`${dir}/existing-file`, "from the host\n");
    await writeFile(
      `${dir}/manifests/vol.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: vol}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    workingDir: /work
    env:
    - {name: GREETING, value: hello}
    - {name: MESSAGE, value: "$(GREETING) world"}
    command: ["sh", "-c"]
    args:
    - |
      echo "$MESSAGE from $(pwd)" > /created/out.txt
      cat /file-ro > /created/copied.txt
      echo sub > /sub/marker
      touch /file-ro 2>/dev/null && echo writable > /created/ro.txt || echo readonly > /created/ro.txt
      df -k /mem | tail -1 > /created/mem.txt; mount | grep " /mem " >> /created/mem.txt
      sleep 1000
    volumeMounts:
    - {name: created, mountPath: /created}
    - {name: file, mountPath: /file-ro, readOnly: true}
    - {name: scratch, mountPath: /sub, subPath: nested/dir}
    - {name: mem, mountPath: /mem}
    - {name: existing, mountPath: /existing}
  volumes:
  - name: created
    hostPath: {path: ${dir}/made/by/kubelet, type: DirectoryOrCreate}
  - name: file
    hostPath: {path: ${dir}/existing-file, type: File}
  - name: existing
    hostPath: {path: ${dir}/existing-dir, type: Directory}
  - name: scratch
    emptyDir: {}
  - name: mem
    emptyDir: {medium: Memory, sizeLimit: 16Mi}
`,
    );
    const pod = await waitFor("the pod running", async () => {
      const p = await getPod(port, `vol-${node}`);
      return p?.status?.phase === "Running" && p;
    });
    const made = `${dir}/made/by/kubelet`;
    await waitFor(
      "the container's output",
      async () => (await stat(`${made}/mem.txt`).catch(() => null)) !== null,
    );
    assert.equal(await readFile(`${made}/out.txt`, "utf8"), "hello world from /work\n");
    assert.equal(await readFile(`${made}/copied.txt`, "utf8"), "from the host\n");
    assert.equal(await readFile(`${made}/ro.txt`, "utf8"), "readonly\n");
    const mem = await readFile(`${made}/mem.txt`, "utf8");
    assert.match(mem, /tmpfs/);
    assert.match(mem, /\s16384\s/, `a 16Mi tmpfs: ${mem}`);
    const uid = pod.metadata.uid;
    const scratch = `${dir}/root/pods/${uid}/volumes/kubernetes.io~empty-dir/scratch`;
    assert.equal(await readFile(`${scratch}/nested/dir/marker`, "utf8"), "sub\n");
  }));

test("a hostPath of the wrong type keeps the pod waiting with the kubelet's message", () =>
  withNode("badhostpath", 18342, async ({ node, port, dir }) => {
    await writeFile(
      `${dir}/manifests/bad.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers:
  - {name: main, image: busybox, imagePullPolicy: Never, volumeMounts: [{name: v, mountPath: /v}]}
  volumes:
  - {name: v, hostPath: {path: ${dir}/missing, type: Directory}}
`,
    );
    const pod = await waitFor("the pod waiting", async () => {
      const p = await getPod(port, `bad-${node}`);
      return p?.status?.message ? p : undefined;
    });
    assert.match(
      pod.status!.message!,
      new RegExp(`hostPath type check failed: ${dir}/missing is not a directory`),
    );
    assert.equal(pod.status!.phase, "Pending");
    assert.equal(pod.status!.containerStatuses![0].state.waiting?.reason, "ContainerCreating");
  }));

test("a hostPort is published on the infra container, bound to its hostIP", () =>
  withNode("hostport", 18343, async ({ node, port, dir }) => {
    const hostPort = e2ePort(18344);
    await writeFile(
      `${dir}/manifests/web.yaml`,
      `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: nginx
    image: nginx
    imagePullPolicy: Never
    ports: [{containerPort: 80, hostPort: ${hostPort}, hostIP: 127.0.0.1}]
`,
    );
    await waitFor(
      "the pod running",
      async () => (await getPod(port, `web-${node}`))?.status?.phase === "Running",
    );
    const page = await waitFor("nginx on 127.0.0.1:hostPort", async () => {
      const res = await fetch(`http://127.0.0.1:${hostPort}/`);
      return res.ok && await res.text();
    });
    assert.match(page, /Welcome to nginx/);
    const infra = await inspect(await docker("ps", "-q", "--filter", `name=k8s_POD_web-${node}`));
    assert.deepEqual(infra.HostConfig.PortBindings["80/tcp"], [{
      HostIp: "127.0.0.1",
      HostPort: String(hostPort),
    }]);
  }));
