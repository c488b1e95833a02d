import { test } from "node:test";
import assert from "node:assert/strict";
import type { Container, Pod, PodSpec } from "../../src/api/types.ts";
import {
  buildContainerConfig,
  buildMounts,
  buildSandboxConfig,
  podHostname,
} from "../../src/runtime/container_config.ts";
import { bindMount } from "../../src/runtime/bind_mount.ts";
import type { VolumeSource } from "../../src/runtime/volume_source.ts";

function makePod(spec: Partial<PodSpec> = {}, name = "web"): Pod {
  return {
    metadata: { name, namespace: "default", uid: "uid-1" },
    spec: { containers: [{ name: "app", image: "nginx:1.27" }], ...spec },
  };
}

const labels = { "io.kubernetes.pod.name": "web" };
const PAUSE = "standalone-kubelet/pause:1.0";

test("buildSandboxConfig publishes hostPorts with their hostIP and protocol", () => {
  const pod = makePod({
    containers: [{
      name: "app",
      image: "nginx",
      ports: [
        { containerPort: 80, hostPort: 8080 },
        { containerPort: 53, hostPort: 5353, protocol: "UDP", hostIP: "127.0.0.1" },
        { containerPort: 9090 },
      ],
    }],
  });
  const body = buildSandboxConfig(pod, PAUSE, labels);
  assert.deepEqual(body.ExposedPorts, { "80/tcp": {}, "53/udp": {} });
  assert.deepEqual(body.HostConfig.PortBindings, {
    "80/tcp": [{ HostIp: "", HostPort: "8080" }],
    "53/udp": [{ HostIp: "127.0.0.1", HostPort: "5353" }],
  });
  assert.equal(body.HostConfig.NetworkMode, "bridge");
});

test("buildSandboxConfig publishes the hostPorts of init containers too", () => {
  const pod = makePod({
    initContainers: [{ name: "i", image: "x", ports: [{ containerPort: 7, hostPort: 7007 }] }],
  });
  assert.deepEqual(buildSandboxConfig(pod, PAUSE, labels).HostConfig.PortBindings, {
    "7/tcp": [{ HostIp: "", HostPort: "7007" }],
  });
});

test("buildSandboxConfig uses the host's network and publishes nothing for hostNetwork", () => {
  const pod = makePod({
    hostNetwork: true,
    containers: [{ name: "app", image: "nginx", ports: [{ containerPort: 80, hostPort: 80 }] }],
  });
  const body = buildSandboxConfig(pod, PAUSE, labels);
  assert.equal(body.HostConfig.NetworkMode, "host");
  assert.deepEqual(body.HostConfig.PortBindings, {});
  assert.deepEqual(body.ExposedPorts, {});
  assert.equal(body.Hostname, undefined);
});

test("buildSandboxConfig makes a shareable IPC namespace, or uses the host's for hostIPC", () => {
  assert.equal(buildSandboxConfig(makePod(), PAUSE, labels).HostConfig.IpcMode, "shareable");
  assert.equal(buildSandboxConfig(makePod({ hostIPC: true }), PAUSE, labels).HostConfig.IpcMode, "host");
});

test("buildSandboxConfig runs the pause image with the pod's labels, never restarted by Docker", () => {
  const body = buildSandboxConfig(makePod(), PAUSE, labels);
  assert.equal(body.Image, PAUSE);
  assert.deepEqual(body.Labels, labels);
  assert.deepEqual(body.HostConfig.RestartPolicy, { Name: "no" });
  assert.equal(body.Hostname, "web");
});

test("buildSandboxConfig turns hostAliases into extra hosts", () => {
  const pod = makePod({ hostAliases: [{ ip: "10.0.0.1", hostnames: ["db", "db.local"] }] });
  assert.deepEqual(buildSandboxConfig(pod, PAUSE, labels).HostConfig.ExtraHosts, [
    "db:10.0.0.1",
    "db.local:10.0.0.1",
  ]);
});

test("podHostname prefers spec.hostname and cuts the pod name to 63 characters", () => {
  assert.equal(podHostname(makePod({ hostname: "box" })), "box");
  assert.equal(podHostname(makePod({}, "a".repeat(70))), "a".repeat(63));
  assert.equal(podHostname(makePod({}, `${"a".repeat(62)}-b`)), "a".repeat(62));
});

const volumes: Record<string, VolumeSource> = {
  data: { kind: "bind", path: "/var/lib/kubelet/pods/uid-1/volumes/data/" },
  config: { kind: "bind", path: "/etc/app" },
  scratch: { kind: "tmpfs", volumeName: "k8s_uid-1_scratch" },
};

function config(pod: Pod, container: Container, env: string[] = []) {
  return buildContainerConfig(pod, container, { sandboxId: "sb123", labels, volumes, env });
}

test("buildContainerConfig joins the infra container's network and IPC namespaces", () => {
  const body = config(makePod(), { name: "app", image: "nginx" });
  assert.equal(body.HostConfig.NetworkMode, "container:sb123");
  assert.equal(body.HostConfig.IpcMode, "container:sb123");
  assert.equal(body.HostConfig.PidMode, "");
  assert.deepEqual(body.HostConfig.RestartPolicy, { Name: "no" });
});

test("buildContainerConfig shares the PID namespace for shareProcessNamespace and uses the host's for hostPID", () => {
  const spec = { name: "app", image: "nginx" };
  assert.equal(config(makePod({ shareProcessNamespace: true }), spec).HostConfig.PidMode, "container:sb123");
  assert.equal(config(makePod({ hostPID: true }), spec).HostConfig.PidMode, "host");
  assert.equal(config(makePod({ hostIPC: true }), spec).HostConfig.IpcMode, "host");
});

test("buildContainerConfig maps command to Entrypoint and args to Cmd", () => {
  const body = config(makePod(), { name: "app", image: "busybox", command: ["sh", "-c"], args: ["echo hi"] });
  assert.deepEqual(body.Entrypoint, ["sh", "-c"]);
  assert.deepEqual(body.Cmd, ["echo hi"]);
});

test("buildContainerConfig keeps the image's entrypoint and command when the spec gives none", () => {
  const body = config(makePod(), { name: "app", image: "busybox" });
  assert.equal(body.Entrypoint, undefined);
  assert.equal(body.Cmd, undefined);
});

test("buildContainerConfig passes image, env, working dir, labels, tty and stdin", () => {
  const body = config(
    makePod(),
    { name: "app", image: "busybox:1.36", workingDir: "/srv", tty: true, stdin: true },
    ["A=1", "B=2"],
  );
  assert.equal(body.Image, "busybox:1.36");
  assert.deepEqual(body.Env, ["A=1", "B=2"]);
  assert.equal(body.WorkingDir, "/srv");
  assert.deepEqual(body.Labels, labels);
  assert.equal(body.Tty, true);
  assert.equal(body.OpenStdin, true);
});

test("buildContainerConfig expands $(VAR) in command and args from the container's env", () => {
  const body = config(
    makePod(),
    { name: "app", image: "busybox", command: ["echo", "$(GREETING)"], args: ["$(NAME)!", "$$(NAME)"] },
    ["GREETING=hello", "NAME=world"],
  );
  assert.deepEqual(body.Entrypoint, ["echo", "hello"]);
  assert.deepEqual(body.Cmd, ["world!", "$(NAME)"]);
});

const bind = (Source: string, Target: string, ReadOnly = false) => ({
  Type: "bind",
  Source,
  Target,
  ReadOnly,
  BindOptions: { Propagation: "rprivate" },
});

test("buildMounts bind-mounts host paths as structured mounts, read-only as asked, subPaths at their checked path", () => {
  const mounts = buildMounts(
    {
      name: "app",
      image: "x",
      volumeMounts: [
        { name: "data", mountPath: "/data" },
        { name: "config", mountPath: "/etc/app", readOnly: true },
        { name: "data", mountPath: "/logs", subPath: "logs" },
      ],
    },
    volumes,
    { 2: "/checked/logs" },
  );
  assert.deepEqual(mounts, [
    bind("/var/lib/kubelet/pods/uid-1/volumes/data/", "/data"),
    bind("/etc/app", "/etc/app", true),
    bind("/checked/logs", "/logs"),
  ]);
});

test("buildMounts keeps a ':' in a mountPath inside the target instead of turning it into a mount option", () => {
  const mounts = buildMounts({
    name: "app",
    image: "x",
    volumeMounts: [{ name: "config", mountPath: "/host-etc:z" }, { name: "data", mountPath: "/x:ro" }],
  }, volumes);
  assert.deepEqual(mounts.map((m) => [m.Target, m.ReadOnly]), [["/host-etc:z", false], ["/x:ro", false]]);
});

test("buildMounts refuses a subPath on a host directory that was not checked, instead of joining it", () => {
  assert.throws(
    () =>
      buildMounts({
        name: "app",
        image: "x",
        volumeMounts: [{ name: "data", mountPath: "/logs", subPath: "escape" }],
      }, volumes),
    /subPath "escape" was not checked/,
  );
});

test("buildMounts mounts a memory-backed volume as a Docker volume mount", () => {
  const mounts = buildMounts({
    name: "app",
    image: "x",
    volumeMounts: [
      { name: "scratch", mountPath: "/tmp/scratch" },
      { name: "scratch", mountPath: "/cache", readOnly: true, subPath: "c" },
    ],
  }, volumes);
  assert.deepEqual(mounts, [
    { Type: "volume", Source: "k8s_uid-1_scratch", Target: "/tmp/scratch", ReadOnly: false },
    {
      Type: "volume",
      Source: "k8s_uid-1_scratch",
      Target: "/cache",
      ReadOnly: true,
      VolumeOptions: { Subpath: "c" },
    },
  ]);
});

test("buildContainerConfig puts every volume mount into Mounts and none into Binds", () => {
  const body = config(makePod(), {
    name: "app",
    image: "x",
    volumeMounts: [{ name: "config", mountPath: "/cfg", readOnly: true }, {
      name: "scratch",
      mountPath: "/s",
    }],
  });
  assert.equal(body.HostConfig.Binds, undefined);
  assert.deepEqual((body.HostConfig.Mounts as unknown[])[0], bind("/etc/app", "/cfg", true));
  assert.equal((body.HostConfig.Mounts as unknown[]).length, 2);
});

test("buildMounts throws naming a volumeMount whose volume does not exist", () => {
  assert.throws(
    () =>
      buildMounts({ name: "app", image: "x", volumeMounts: [{ name: "nope", mountPath: "/x" }] }, volumes),
    /nope/,
  );
});

test("buildSandboxConfig puts a hostNetwork pod's infra container in the host's UTS namespace too", () => {
  assert.equal(buildSandboxConfig(makePod({ hostNetwork: true }), PAUSE, labels).HostConfig.UTSMode, "host");
  assert.equal(buildSandboxConfig(makePod(), PAUSE, labels).HostConfig.UTSMode, undefined);
});

test("buildSandboxConfig sets the pod's sysctls on the infra container, slashes as dots", () => {
  const pod = makePod({
    securityContext: {
      sysctls: [{ name: "net.core.somaxconn", value: "1024" }, {
        name: "kernel/shm_rmid_forced",
        value: "1",
      }],
    },
  });
  assert.deepEqual(buildSandboxConfig(pod, PAUSE, labels).HostConfig.Sysctls, {
    "net.core.somaxconn": "1024",
    "kernel.shm_rmid_forced": "1",
  });
});

test("buildSandboxConfig runs the infra container unconfined unless the pod asks for RuntimeDefault", () => {
  assert.deepEqual(buildSandboxConfig(makePod(), PAUSE, labels).HostConfig.SecurityOpt, [
    "seccomp=unconfined",
  ]);
  const pod = makePod({ securityContext: { seccompProfile: { type: "RuntimeDefault" } } });
  assert.equal(buildSandboxConfig(pod, PAUSE, labels).HostConfig.SecurityOpt, undefined);
});

test("buildContainerConfig shares the host's UTS namespace for hostNetwork, still joining the infra container's network", () => {
  const body = config(makePod({ hostNetwork: true }), { name: "app", image: "nginx" });
  assert.equal(body.HostConfig.UTSMode, "host");
  assert.equal(body.HostConfig.NetworkMode, "container:sb123");
});

test("buildContainerConfig adds the kubelet's binds, labels, user and host settings from the run options", () => {
  const body = buildContainerConfig(makePod(), {
    name: "app",
    image: "nginx",
    volumeMounts: [{ name: "config", mountPath: "/cfg" }],
  }, {
    sandboxId: "sb123",
    labels,
    volumes,
    env: ["A=1"],
    run: {
      env: ["A=1"],
      mounts: [bindMount("/pods/u/etc-hosts", "/etc/hosts")],
      labels: { "io.kubernetes.container.terminationMessagePath": "/dev/termination-log" },
      user: "1000:1000",
      hostConfig: { Memory: 1024, CpuShares: 2, ReadonlyRootfs: true },
    },
  });
  assert.deepEqual(body.HostConfig.Mounts, [
    bind("/etc/app", "/cfg"),
    bind("/pods/u/etc-hosts", "/etc/hosts"),
  ]);
  assert.equal(body.User, "1000:1000");
  assert.equal(body.Labels?.["io.kubernetes.container.terminationMessagePath"], "/dev/termination-log");
  assert.equal(body.Labels?.["io.kubernetes.pod.name"], "web");
  assert.equal(body.HostConfig.Memory, 1024);
  assert.equal(body.HostConfig.CpuShares, 2);
  assert.equal(body.HostConfig.ReadonlyRootfs, true);
});
