/**
 * Pulls from a registry that needs a login, end to end: Debian's
 * docker-registry with htpasswd auth on 127.0.0.1; the kubelet finds the
 * credentials in `<root-dir>/config.json` or in the Docker CLI's
 * `config.json` (`DOCKER_CONFIG`, as `docker login` wrote it) and hands them
 * to the Engine as `X-Registry-Auth`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import process from "node:process";
import {
  cleanup,
  docker,
  e2eNode,
  e2ePort,
  freshNode,
  getPod,
  run,
  startKubelet,
  waitFor,
} from "./_harness.ts";

const USER = "e2e-user", PASSWORD = "e2e-Pa55:word";

function pod(name: string, image: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: ${image}
    command: ["sh", "-c", "sleep 1000"]
`;
}

/**
 * A registry with htpasswd auth on 127.0.0.1:`port` holding `image` (busybox
 * pushed after a `docker login` into `dir/login`), and the image removed from
 * the Engine so that the kubelet must pull it.
 */
async function privateRegistry(dir: string, port: number, image: string): Promise<ChildProcess> {
  await run("htpasswd", ["-Bbc", `${dir}/htpasswd`, USER, PASSWORD]);
  await writeFile(
    `${dir}/registry.yml`,
    `version: 0.1
storage: {filesystem: {rootdirectory: ${dir}/registry}}
http: {addr: "127.0.0.1:${port}"}
auth: {htpasswd: {realm: e2e, path: ${dir}/htpasswd}}
`,
  );
  const registry = spawn("docker-registry", ["serve", `${dir}/registry.yml`], { stdio: "ignore" });
  await waitFor("the registry", async () => (await fetch(`http://127.0.0.1:${port}/v2/`)).status === 401);
  await mkdir(`${dir}/login`);
  // A config dir of our own: the shared ~/.docker/config.json is left alone.
  await run("docker", [
    "--config",
    `${dir}/login`,
    "login",
    `127.0.0.1:${port}`,
    "--username",
    USER,
    "--password",
    PASSWORD,
  ]);
  await docker("tag", "busybox:latest", image);
  await run("docker", ["--config", `${dir}/login`, "push", image]);
  await docker("rmi", image);
  return registry;
}

const waiting = async (port: number, name: string) =>
  (await getPod(port, name))?.status?.containerStatuses?.[0]?.state.waiting;

test("a pull that needs a login fails without credentials and succeeds once <root-dir>/config.json has them", async () => {
  const node = e2eNode("regauth");
  const port = e2ePort(18391), registryPort = e2ePort(18392);
  const { dir, manifests, rootDir } = await freshNode(node);
  const image = `127.0.0.1:${registryPort}/e2e/${e2eNode("busybox")}:auth`;
  const registry = await privateRegistry(dir, registryPort, image);
  // A short resync: the retry after the pull back-off (10 s) comes with the next sync.
  const kubelet = await startKubelet({
    node,
    port,
    manifests,
    rootDir,
    args: ["--sync-frequency=2s"],
    env: { DOCKER_CONFIG: `${dir}/none` },
  });
  try {
    await writeFile(`${manifests}/private.yaml`, pod("private", image));
    await waitFor(
      "ErrImagePull (or its back-off) without credentials",
      async () =>
        ["ErrImagePull", "ImagePullBackOff"].includes((await waiting(port, `private-${node}`))?.reason ?? ""),
    );
    assert.match(
      kubelet.logs(),
      /failed to pull image 127\.0\.0\.1:\d+\/e2e\/[a-z0-9._-]*busybox:auth.*(no basic auth credentials|unauthorized|authentication required)/i,
    );

    // The file is read at each pull: the next try after the back-off uses it, with no restart.
    await mkdir(rootDir, { recursive: true });
    await writeFile(
      `${rootDir}/config.json`,
      JSON.stringify({ auths: { [`127.0.0.1:${registryPort}`]: { auth: btoa(`${USER}:${PASSWORD}`) } } }),
    );
    await waitFor(
      "the private image running",
      async () => (await getPod(port, `private-${node}`))?.status?.phase === "Running",
      { timeoutMs: 60_000 },
    );
    assert.ok(await docker("images", "-q", image), "the image is now present");
  } finally {
    await kubelet.stop("SIGKILL");
    process.kill(registry.pid!, "SIGTERM");
    await cleanup(node, dir);
    await docker("rmi", "-f", image).catch(() => {});
  }
});

test("the Docker CLI's config.json that docker login wrote (DOCKER_CONFIG) logs the pull in", async () => {
  const node = e2eNode("regcli");
  const port = e2ePort(18393), registryPort = e2ePort(18394);
  const { dir, manifests, rootDir } = await freshNode(node);
  const image = `127.0.0.1:${registryPort}/e2e/${e2eNode("busybox")}:cli`;
  const registry = await privateRegistry(dir, registryPort, image);
  const kubelet = await startKubelet({
    node,
    port,
    manifests,
    rootDir,
    env: { DOCKER_CONFIG: `${dir}/login` },
  });
  try {
    await writeFile(`${manifests}/private.yaml`, pod("private", image));
    await waitFor(
      "the private image running",
      async () => (await getPod(port, `private-${node}`))?.status?.phase === "Running",
      { timeoutMs: 60_000 },
    );
    assert.doesNotMatch(kubelet.logs(), /failed to pull/);
  } finally {
    await kubelet.stop("SIGKILL");
    process.kill(registry.pid!, "SIGTERM");
    await cleanup(node, dir);
    await docker("rmi", "-f", image).catch(() => {});
  }
});
