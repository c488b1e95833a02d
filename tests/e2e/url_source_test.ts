/**
 * The URL source against a small HTTP server on 127.0.0.1 in the test: it
 * serves pods, then changes them, then fails (500, a broken body, refused
 * connections), then recovers. Pods from the URL and the manifest directory
 * live side by side; a name clash is reported and the first source wins.
 * A kubelet restarted while the URL is down removes none of its containers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdir, writeFile } from "node:fs/promises";
import {
  busyboxPod,
  cleanup,
  e2eNode,
  e2ePort,
  getPod,
  nodeContainers,
  relists,
  startKubelet,
  tempDir,
  waitFor,
} from "./_harness.ts";

/** What the server answers: a body (with an ETag), a status, or nothing at all (stopped). */
interface Reply {
  status: number;
  body: string;
  etag?: string;
}

/** A manifest server on 127.0.0.1:`port` that records each request's If-None-Match and Authorization. */
class ManifestServer {
  reply: Reply = { status: 200, body: "" };
  requests: { ifNoneMatch?: string; authorization?: string }[] = [];
  #server?: Server;

  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      this.requests.push({
        ifNoneMatch: req.headers["if-none-match"],
        authorization: req.headers.authorization,
      });
      const { status, body, etag } = this.reply;
      // No keep-alive, so that stopping the server refuses the next request at once.
      const headers: Record<string, string> = { connection: "close", "content-type": "application/yaml" };
      if (etag) headers.etag = etag;
      if (etag && req.headers["if-none-match"] === etag) {
        res.writeHead(304, headers).end();
        return;
      }
      res.writeHead(status, headers).end(body);
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

test("pods from a URL run beside the directory's; they follow its changes, survive its failures and recover with it", async () => {
  const node = e2eNode("url-source");
  const port = e2ePort(18372);
  const server = new ManifestServer(e2ePort(18373));
  const url = `http://127.0.0.1:${server.port}/pods.yaml`;
  const dir = await tempDir(node);
  const manifests = `${dir}/manifests`;
  await cleanup(node);
  await mkdir(manifests);
  await writeFile(`${manifests}/shared.yaml`, busyboxPod("shared", "sleep 1000"));
  const v1 = `${busyboxPod("web", "echo v1; sleep 1000")}---\n${
    busyboxPod("shared", "echo from the URL; sleep 1000")
  }`;
  server.reply = { status: 200, body: v1, etag: '"v1"' };
  await server.start();
  const args = [
    `--manifest-url=${url}`,
    "--http-check-frequency=1s",
    "--manifest-url-header=Authorization:Bearer s3cret",
  ];
  let kubelet = await startKubelet({ node, port, manifests, rootDir: `${dir}/root`, args });
  const running = async (name: string) => {
    const p = await getPod(port, `${name}-${node}`);
    return p?.status?.phase === "Running" && p;
  };
  try {
    // Serves: the URL's pod runs beside the directory's; the clashing name stays the directory's.
    const web = await waitFor("the URL's pod running", () => running("web"));
    const shared = await waitFor("the directory's pod running", () => running("shared"));
    assert.equal(web.metadata.annotations?.["kubernetes.io/config.source"], "http");
    assert.equal(shared.metadata.annotations?.["kubernetes.io/config.source"], "file");
    assert.match(
      kubelet.messages(),
      new RegExp(`pod "shared-${node}_default" is already defined in the file source`),
    );
    assert.equal(server.requests[0].authorization, "Bearer s3cret");

    // Unchanged: the kubelet asks with If-None-Match, gets 304, and changes nothing.
    const containers = await nodeContainers(node);
    await waitFor(
      "two conditional requests",
      () => server.requests.filter((r) => r.ifNoneMatch === '"v1"').length >= 2,
      {
        timeoutMs: 10_000,
      },
    );
    assert.deepEqual(await nodeContainers(node), containers);
    assert.equal((await getPod(port, `web-${node}`))?.metadata.uid, web.metadata.uid);

    // Changes: the pod is replaced under a new UID.
    server.reply = { status: 200, body: busyboxPod("web", "echo v2; sleep 1000") };
    const v2 = await waitFor("v2 running", async () => {
      const p = await running("web");
      return p && p.metadata.uid !== web.metadata.uid && p;
    }, { timeoutMs: 30_000 });

    // Fails: a 500, a body that is no manifest, then a refused connection. The pod keeps running, /healthz stays ok.
    const failures: [string, () => Promise<void>][] = [
      ["500", () => Promise.resolve(void (server.reply = { status: 500, body: "oops" }))],
      [
        "a broken body",
        () =>
          Promise.resolve(
            void (server.reply = {
              status: 200,
              body: "apiVersion: v1\nkind: Pod\nmetadata: {name: [broken\n",
            }),
          ),
      ],
      ["refused", () => server.stop()],
    ];
    for (const [what, fail] of failures) {
      const logged = kubelet.logs().length;
      await fail();
      await waitFor(
        `the ${what} logged`,
        () => /failed to read pods from|manifest http:\/\/127\.0\.0\.1/.test(kubelet.logs().slice(logged)),
        {
          timeoutMs: 10_000,
        },
      );
      await relists(port);
      const p = await getPod(port, `web-${node}`);
      assert.equal(p?.metadata.uid, v2.metadata.uid, `after ${what}`);
      assert.equal(p?.status?.phase, "Running", `after ${what}`);
      assert.equal(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text(), "ok");
    }
    // Repeats of one error are logged once a minute, not once a second.
    const refusals = kubelet.logs().split("\n").filter((l) =>
      l.includes("failed to read pods from") && /refused|connect/i.test(l)
    );
    assert.equal(refusals.length, 1, refusals.join("\n"));

    // Recovers: the new body is applied, and the recovery logged.
    const beforeRecovery = kubelet.logs().length;
    server.reply = { status: 200, body: busyboxPod("api", "sleep 1000") };
    await server.start();
    await waitFor("the recovered URL's pod running", () => running("api"), { timeoutMs: 30_000 });
    await waitFor("the URL's old pod gone", async () => !(await getPod(port, `web-${node}`)));
    assert.match(
      kubelet.logs().slice(beforeRecovery),
      /manifest URL http:\/\/127\.0\.0\.1:\d+\/pods\.yaml: recovered/,
    );
    assert.ok(await running("shared"), "the directory's pod ran throughout");

    // A kubelet started while the URL is down leaves the URL's containers alone, and adopts them once it answers.
    const api = await waitFor("the old pod's containers removed", async () => {
      const names = await nodeContainers(node, true);
      return names.every((n) => !n.includes(`_web-${node}_`)) && names;
    }, { timeoutMs: 30_000 });
    await server.stop();
    assert.equal(await kubelet.stop("SIGTERM"), 0);
    kubelet = await startKubelet({ node, port, manifests, rootDir: `${dir}/root`, args });
    await relists(port);
    assert.deepEqual(await nodeContainers(node), api, "no container removed while the URL is down");
    await server.start();
    await waitFor("the URL's pod Running again", () => running("api"), { timeoutMs: 30_000 });
    assert.deepEqual(await nodeContainers(node), api, "the same containers, adopted");
  } catch (error) {
    console.error(kubelet.logs());
    throw error;
  } finally {
    await kubelet.stop("SIGKILL");
    await server.stop();
    await cleanup(node, dir);
  }
});
