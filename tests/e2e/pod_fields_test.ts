/**
 * The pod and container fields a control plane leans on, end to end: host
 * namespaces, security contexts, resources, env from the pod and its
 * resources, the kubelet-managed /etc/hosts and resolv.conf, termination
 * messages, OOM kills and the warnings about fields that do nothing.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import type { Pod } from "../../src/api/types.ts";
import {
  cleanup,
  docker,
  e2eNode,
  e2ePort,
  getPod,
  inspect,
  type RunningKubelet,
  startKubelet,
  tempDir,
  waitFor,
} from "./_harness.ts";

const node = e2eNode("pod-fields");
const port = e2ePort(18376);
const hostPort = e2ePort(18377);
let dir: string;
let kubelet: RunningKubelet;

const MANIFESTS: Record<string, string> = {
  "fields.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: fields
  labels: {app: demo}
  annotations: {example.com/owner: ops}
spec:
  terminationGracePeriodSeconds: 2
  hostname: web-0
  subdomain: web
  shareProcessNamespace: true
  hostAliases:
  - {ip: 127.0.0.1, hostnames: [foo.local, bar.local]}
  dnsPolicy: None
  dnsConfig:
    nameservers: [127.0.0.53]
    searches: [svc.example]
    options: [{name: ndots, value: "2"}]
  securityContext:
    runAsUser: 65534
    runAsGroup: 65534
    supplementalGroups: [4242]
    sysctls: [{name: net.core.somaxconn, value: "1234"}]
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: [sh, -c]
    args: ["echo 'greeting=$(GREETING)'; sleep 1000"]
    env:
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: POD_NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
    - {name: POD_UID, valueFrom: {fieldRef: {fieldPath: metadata.uid}}}
    - {name: APP, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
    - {name: OWNER, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['example.com/owner']"}}}
    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: POD_IPS, valueFrom: {fieldRef: {fieldPath: status.podIPs}}}
    - {name: HOST_IP, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
    - {name: CPU_MILLIS, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1m}}}
    - {name: MEMORY_MI, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
    - {name: GREETING, value: "hello $(POD_NAME) in $(POD_NAMESPACE), $$(POD_NAME) is escaped"}
    resources:
      limits: {cpu: 500m, memory: 64Mi}
      requests: {cpu: 250m}
    securityContext:
      readOnlyRootFilesystem: true
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
`,
  "hostnet.yaml": `apiVersion: v1
kind: Pod
metadata: {name: hostnet}
spec:
  terminationGracePeriodSeconds: 2
  hostNetwork: true
  hostPID: true
  hostIPC: true
  hostAliases: [{ip: 127.0.0.1, hostnames: [etcd.local]}]
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: [sleep, "1000"]
    ports: [{containerPort: ${hostPort}}]
    securityContext: {capabilities: {add: [NET_ADMIN]}}
`,
  "privileged.yaml": `apiVersion: v1
kind: Pod
metadata: {name: privileged}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: [sleep, "1000"]
    securityContext: {privileged: true, seccompProfile: {type: Unconfined}}
`,
  "nonroot.yaml": `apiVersion: v1
kind: Pod
metadata: {name: nonroot}
spec:
  securityContext: {runAsNonRoot: true}
  containers:
  - {name: main, image: busybox, imagePullPolicy: Never, command: [sleep, "1000"]}
`,
  "oom.yaml": `apiVersion: v1
kind: Pod
metadata: {name: oom}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: [sh, -c, "exec dd if=/dev/zero of=/dev/null bs=64M count=1"]
    resources: {limits: {memory: 16Mi}}
`,
  "message.yaml": `apiVersion: v1
kind: Pod
metadata: {name: message}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    imagePullPolicy: Never
    command: [sh, -c, "echo 'config invalid: missing --name' > /dev/termination-log; echo ignored; exit 3"]
  - name: fallback
    image: busybox
    imagePullPolicy: Never
    terminationMessagePolicy: FallbackToLogsOnError
    command: [sh, -c, "echo starting; sleep 0.5; echo 'fatal: bad flag' >&2; exit 2"]
`,
  "warned.yaml": `apiVersion: v1
kind: Pod
metadata: {name: warned, restartPolicy: Never}
spec:
  nodeSelector: {disk: ssd}
  tolerations: [{operator: Exists}]
  containers:
  - {name: main, image: busybox, imagePullPolicy: Never, command: [sleep, "1000"], imagePullPolicyy: Never}
`,
};

before(async () => {
  dir = await tempDir(node);
  await cleanup(node);
  await mkdir(`${dir}/manifests`);
  for (const [file, text] of Object.entries(MANIFESTS)) await writeFile(`${dir}/manifests/${file}`, text);
  kubelet = await startKubelet({ node, port, manifests: `${dir}/manifests`, rootDir: `${dir}/root` });
});

after(async () => {
  await kubelet.stop("SIGKILL");
  await cleanup(node, dir);
});

async function runningPod(name: string): Promise<Pod> {
  return await waitFor(`${name} Running`, async () => {
    const p = await getPod(port, `${name}-${node}`);
    return p?.status?.phase === "Running" && p;
  });
}

/** The Docker name of a pod's container (`POD` for its infra container). */
const dockerName = (pod: Pod, container: string) =>
  `k8s_${container}_${pod.metadata.name}_default_${pod.metadata.uid}_0`;

test("a container gets the pod's fields and its resources in its env, with $(VAR) expanded as Kubernetes does", async () => {
  const pod = await runningPod("fields");
  const id = dockerName(pod, "main");
  const env = Object.fromEntries(
    (await docker("exec", id, "env")).split("\n").map((l) => l.split(/=(.*)/s).slice(0, 2)),
  );
  const infra = await inspect(dockerName(pod, "POD"));
  assert.equal(env.POD_NAME, `fields-${node}`);
  assert.equal(env.POD_NAMESPACE, "default");
  assert.equal(env.POD_UID, pod.metadata.uid);
  assert.equal(env.APP, "demo");
  assert.equal(env.OWNER, "ops");
  assert.equal(env.NODE, node);
  assert.equal(env.POD_IP, infra.NetworkSettings.IPAddress);
  assert.equal(env.POD_IPS, infra.NetworkSettings.IPAddress);
  assert.equal(env.HOST_IP, pod.status?.hostIP);
  assert.equal(env.CPU_MILLIS, "500");
  assert.equal(env.MEMORY_MI, "64");
  assert.equal(env.GREETING, `hello fields-${node} in default, $(POD_NAME) is escaped`);
  assert.equal(await docker("logs", id), `greeting=hello fields-${node} in default, $(POD_NAME) is escaped`);
});

test("a container runs with its security context: user, groups, read-only root, no privilege escalation, no capabilities", async () => {
  const pod = await runningPod("fields");
  const id = dockerName(pod, "main");
  assert.equal(
    await docker("exec", id, "id"),
    "uid=65534(nobody) gid=65534(nogroup) groups=4242,65534(nogroup)",
  );
  await assert.rejects(docker("exec", id, "touch", "/new-file"), /Read-only file system/);
  assert.match(
    await docker("exec", id, "grep", "-E", "^(NoNewPrivs|CapEff)", "/proc/self/status"),
    /CapEff:\s+0+\n?NoNewPrivs:\s+1|NoNewPrivs:\s+1[\s\S]*CapEff:\s+0+/,
  );
  const hc = (await inspect(id)).HostConfig;
  assert.equal(hc.ReadonlyRootfs, true);
  assert.deepEqual(hc.CapDrop, ["ALL"]);
  assert.deepEqual(hc.GroupAdd, ["4242"]);
  assert.deepEqual(hc.SecurityOpt, ["seccomp=unconfined", "no-new-privileges"]);
  assert.equal((await inspect(id)).Config.User, "65534:65534");
});

test("resources become the kubelet's cgroup settings: CPU shares from the request, a CFS quota and a memory limit", async () => {
  const pod = await runningPod("fields");
  const hc = (await inspect(dockerName(pod, "main"))).HostConfig;
  assert.equal(hc.CpuShares, 256);
  assert.equal(hc.CpuPeriod, 100000);
  assert.equal(hc.CpuQuota, 50000);
  assert.equal(hc.Memory, 64 * 1024 * 1024);
  assert.equal(hc.MemorySwap, 64 * 1024 * 1024);
});

test("the pod's sysctls and shared process namespace are set through its infra container", async () => {
  const pod = await runningPod("fields");
  const id = dockerName(pod, "main");
  assert.equal(await docker("exec", id, "cat", "/proc/sys/net/core/somaxconn"), "1234");
  const infra = await inspect(dockerName(pod, "POD"));
  assert.equal((await inspect(id)).HostConfig.PidMode, `container:${infra.Id}`);
  assert.match(await docker("exec", id, "ps"), /pause/);
});

test("the kubelet writes /etc/hosts with the pod's names and host aliases, and resolv.conf from dnsConfig", async () => {
  const pod = await runningPod("fields");
  const id = dockerName(pod, "main");
  const ip = (await inspect(dockerName(pod, "POD"))).NetworkSettings.IPAddress;
  const hosts = await docker("exec", id, "cat", "/etc/hosts");
  assert.equal(
    hosts,
    "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" +
      "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n" +
      `${ip}\tweb-0.web.default.svc.cluster.local\tweb-0\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local`,
  );
  assert.equal(
    await docker("exec", id, "cat", "/etc/resolv.conf"),
    "search svc.example\nnameserver 127.0.0.53\noptions ndots:2",
  );
  assert.equal(await docker("exec", id, "hostname"), "web-0");
});

test("hostNetwork, hostPID and hostIPC put the infra container and the containers in the host's namespaces", async () => {
  const pod = await runningPod("hostnet");
  assert.equal(pod.spec.containers[0].ports?.[0].hostPort, hostPort, "hostPort defaults to containerPort");
  assert.equal(pod.status?.podIP, pod.status?.hostIP);
  const infra = await inspect(dockerName(pod, "POD"));
  assert.equal(infra.HostConfig.NetworkMode, "host");
  assert.equal(infra.HostConfig.UTSMode, "host");
  assert.equal(infra.HostConfig.PidMode, "host");
  assert.equal(infra.HostConfig.IpcMode, "host");
  const c = await inspect(dockerName(pod, "main"));
  assert.equal(c.HostConfig.NetworkMode, `container:${infra.Id}`);
  assert.equal(c.HostConfig.UTSMode, "host");
  assert.equal(c.HostConfig.PidMode, "host");
  assert.equal(c.HostConfig.IpcMode, "host");
  assert.deepEqual(c.HostConfig.CapAdd, ["NET_ADMIN"]);
  assert.equal(await docker("exec", c.Id, "hostname"), hostname());
  const hosts = await docker("exec", c.Id, "cat", "/etc/hosts");
  assert.match(hosts, /^# Kubernetes-managed hosts file \(host network\)\.\n/);
  assert.match(hosts, /# Entries added by HostAliases\.\n127\.0\.0\.1\tetcd\.local$/);
});

test("a privileged container is created privileged, without a seccomp option", async () => {
  // Some engines (this sandbox's among them) cannot start privileged containers: the created container tells all.
  const id = await waitFor("a container of the privileged pod", async () => {
    const ids = await docker(
      "ps",
      "-aq",
      "--filter",
      `label=io.kubernetes.pod.name=privileged-${node}`,
      "--filter",
      "label=io.kubernetes.docker.type=container",
    );
    return ids.split("\n")[0];
  });
  const hc = (await inspect(id)).HostConfig;
  assert.equal(hc.Privileged, true);
  assert.ok(!(hc.SecurityOpt ?? []).some((o: string) => o.startsWith("seccomp")), `${hc.SecurityOpt}`);
});

test("runAsNonRoot refuses an image that runs as root, in the kubelet's words", async () => {
  const pod = await waitFor("nonroot waiting", async () => {
    const p = await getPod(port, `nonroot-${node}`);
    return p?.status?.containerStatuses?.[0]?.state.waiting?.reason === "CreateContainerConfigError" && p;
  });
  assert.equal(
    pod.status!.containerStatuses![0].state.waiting!.message,
    `container has runAsNonRoot and image will run as root (pod: "nonroot-${node}_default(${pod.metadata.uid})", container: main)`,
  );
});

test("a container killed for exceeding its memory limit shows OOMKilled", async () => {
  const pod = await waitFor("oom terminated", async () => {
    const p = await getPod(port, `oom-${node}`);
    return p?.status?.containerStatuses?.[0]?.state.terminated && p;
  });
  const terminated = pod.status!.containerStatuses![0].state.terminated!;
  assert.equal(terminated.reason, "OOMKilled");
  assert.equal(terminated.exitCode, 137);
  assert.equal(pod.status?.phase, "Failed");
});

test("the termination message comes from the file, or from the log's end under FallbackToLogsOnError", async () => {
  const pod = await waitFor("both containers terminated", async () => {
    const p = await getPod(port, `message-${node}`);
    return p?.status?.containerStatuses?.every((s) => s.state.terminated) && p;
  });
  const [main, fallback] = pod.status!.containerStatuses!;
  assert.equal(main.state.terminated?.exitCode, 3);
  assert.equal(main.state.terminated?.message, "config invalid: missing --name\n");
  assert.equal(fallback.state.terminated?.exitCode, 2);
  assert.equal(fallback.state.terminated?.message, "starting\nfatal: bad flag\n");
});

test("fields that are misspelled, misplaced or not acted on are named in one warning each, and the pod runs", async () => {
  await runningPod("warned");
  const logs = kubelet.messages();
  assert.match(
    logs,
    /warned\.yaml:1: pod "warned": unknown fields "metadata\.restartPolicy" \(restartPolicy is a field of spec\), "spec\.containers\[0\]\.imagePullPolicyy" \(did you mean "imagePullPolicy"\?\): not used/,
  );
  assert.match(
    logs,
    /warned\.yaml:1: pod "warned": fields accepted but not acted on by the standalone kubelet: spec\.nodeSelector, spec\.tolerations/,
  );
  assert.equal(logs.split("\n").filter((l) => l.includes("warned.yaml:1")).length, 2, "each warning once");
});
