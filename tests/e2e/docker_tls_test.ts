/**
 * `--docker-endpoint tcp://...` with TLS, end to end: the test stands up a
 * TLS proxy on 127.0.0.1 (its own CA, made with openssl; client certificates
 * required) in front of the Engine's unix socket, and the kubelet, given
 * `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH` as the docker CLI reads them,
 * runs a pod through it, compiled (Bun) and under Deno. TLS without
 * verification (`DOCKER_TLS` alone) is refused at start.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { connect, type Socket } from "node:net";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:tls";
import process from "node:process";
import {
  BINARY,
  busyboxPod,
  cleanup,
  e2eNode,
  e2ePort,
  freshNode,
  getPod,
  run,
  startKubelet,
  tempDir,
  waitFor,
} from "./_harness.ts";

const ENGINE_SOCKET = "/var/run/docker.sock";
const proxyPort = e2ePort(18395);
let certs = "";
let proxy: Server | undefined;
const sockets = new Set<Socket>();
/** Client certificate subjects of the connections the proxy let through. */
const clients: string[] = [];

async function openssl(...args: string[]): Promise<void> {
  await run("openssl", args);
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as `dockerd --tlsverify` setups have. */
async function makeCertificates(dir: string): Promise<void> {
  await mkdir(`${dir}/client`);
  await openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=e2e-ca",
    "-keyout",
    `${dir}/ca-key.pem`,
    "-out",
    `${dir}/client/ca.pem`,
  );
  for (
    const [name, subject, ext] of [
      ["server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"],
      ["client", "/CN=e2e-kubelet", "extendedKeyUsage=clientAuth\n"],
    ]
  ) {
    await writeFile(`${dir}/${name}.ext`, ext);
    await openssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      subject,
      "-keyout",
      `${dir}/${name}-key.pem`,
      "-out",
      `${dir}/${name}.csr`,
    );
    await openssl(
      "x509",
      "-req",
      "-in",
      `${dir}/${name}.csr`,
      "-CA",
      `${dir}/client/ca.pem`,
      "-CAkey",
      `${dir}/ca-key.pem`,
      "-CAcreateserial",
      "-days",
      "1",
      "-extfile",
      `${dir}/${name}.ext`,
      "-out",
      `${dir}/${name}.pem`,
    );
  }
  // The docker CLI's file names in DOCKER_CERT_PATH.
  await writeFile(`${dir}/client/cert.pem`, await readFile(`${dir}/client.pem`));
  await writeFile(`${dir}/client/key.pem`, await readFile(`${dir}/client-key.pem`));
}

before(async () => {
  certs = await tempDir("docker-tls");
  await makeCertificates(certs);
  proxy = createServer({
    key: await readFile(`${certs}/server-key.pem`),
    cert: await readFile(`${certs}/server.pem`),
    ca: await readFile(`${certs}/client/ca.pem`),
    requestCert: true,
    rejectUnauthorized: true,
  }, (client) => {
    clients.push(String(client.getPeerCertificate()?.subject?.CN));
    const engine = connect(ENGINE_SOCKET);
    sockets.add(client).add(engine);
    client.pipe(engine).pipe(client);
    const close = () => (client.destroy(), engine.destroy(), sockets.delete(client), sockets.delete(engine));
    client.on("error", close).on("close", close);
    engine.on("error", close).on("close", close);
  });
  await new Promise<void>((resolve, reject) =>
    proxy!.once("error", reject).listen(proxyPort, "127.0.0.1", () => resolve())
  );
});

after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => proxy ? proxy.close(() => resolve()) : resolve());
  await rm(certs, { recursive: true, force: true });
});

for (const runtime of ["binary", "deno"] as const) {
  test(`the kubelet (${runtime}) runs a pod through a TLS endpoint with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH`, async () => {
    const node = e2eNode(`tls-${runtime}`);
    const port = e2ePort(runtime === "binary" ? 18396 : 18397);
    const { dir, manifests, rootDir } = await freshNode(node);
    await writeFile(`${manifests}/idle.yaml`, busyboxPod("idle", "sleep 1000"));
    const seen = clients.length;
    const kubelet = await startKubelet({
      node,
      port,
      manifests,
      rootDir,
      runtime,
      args: [`--docker-endpoint=tcp://127.0.0.1:${proxyPort}`],
      env: { DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: `${certs}/client` },
    });
    try {
      await waitFor(
        "the pod running",
        async () => (await getPod(port, `idle-${node}`))?.status?.phase === "Running",
      );
      assert.ok(clients.length > seen, "the kubelet connected through the TLS proxy");
      assert.deepEqual([...new Set(clients.slice(seen))], ["e2e-kubelet"]);
    } finally {
      await kubelet.stop("SIGKILL");
      await cleanup(node, dir);
    }
  });
}

test("DOCKER_TLS without DOCKER_TLS_VERIFY is refused at start, naming what to set", async () => {
  const dir = await tempDir("tls-refused");
  try {
    const r = spawnSync(BINARY, [
      `--hostname-override=${e2eNode("tls-refused")}`,
      `--read-only-port=${e2ePort(18398)}`,
      `--root-dir=${dir}/root`,
      `--pod-manifest-path=${dir}/manifests`,
      `--docker-endpoint=tcp://127.0.0.1:${proxyPort}`,
    ], {
      encoding: "utf8",
      env: { ...process.env, DOCKER_TLS: "1", DOCKER_TLS_VERIFY: "" },
      timeout: 20_000,
    });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /DOCKER_TLS without DOCKER_TLS_VERIFY .* set DOCKER_TLS_VERIFY=1/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
