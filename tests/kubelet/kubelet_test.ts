/**
 * The sync loop against an in-memory Engine that never answers one pod's
 * container create: a case the real Engine cannot be made to show on
 * demand. The stuck pod's worker never finishes, and every other pod is
 * added and removed meanwhile.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DockerClient } from "../../src/docker/client.ts";
import { parseEndpoint, Transport } from "../../src/docker/transport.ts";
import { Kubelet } from "../../src/kubelet/kubelet.ts";
import { createLogger } from "../../src/log.ts";
import { platform } from "../../src/platform/mod.ts";
import { readFileSource } from "../../src/source/file_source.ts";

interface FakeContainer {
  Id: string;
  Names: string[];
  Labels: Record<string, string>;
  State: string;
  Created: string;
  body: Record<string, unknown>;
}

/**
 * The Engine calls a sync makes, in memory. Creating the container `main`
 * of pod `hang` never answers (until the caller gives up on it).
 */
class FakeEngine {
  containers = new Map<string, FakeContainer>();
  calls: string[] = [];
  #next = 1;

  fetch = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const path = url.pathname.replace(/^\/v1\.\d+/, "");
    this.calls.push(`${req.method} ${path}`);
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    if (path === "/_ping") return new Response("OK", { headers: { "api-version": "1.41" } });
    if (path === "/events") {
      // Open until the kubelet stops.
      return new Response(
        new ReadableStream({
          start(c) {
            req.signal.addEventListener("abort", () => c.error(new DOMException("aborted", "AbortError")));
          },
        }),
      );
    }
    if (req.method === "GET" && /^\/images\/.+\/json$/.test(path)) {
      return json({ Id: "sha256:0", Config: { User: "" } });
    }
    if (req.method === "GET" && path === "/containers/json") {
      const labels: string[] = JSON.parse(url.searchParams.get("filters") ?? "{}").label ?? [];
      const rows = [...this.containers.values()].filter((c) =>
        labels.every((l) => {
          const [k, v] = l.split("=");
          return v === undefined ? k in c.Labels : c.Labels[k] === v;
        })
      );
      return json(rows.map(({ body: _, ...row }) => row));
    }
    if (req.method === "GET" && path === "/volumes") return json({ Volumes: [] });
    if (req.method === "POST" && path === "/containers/create") {
      const name = url.searchParams.get("name")!;
      if (name.startsWith("k8s_main_hang")) {
        await new Promise((_, reject) =>
          req.signal.addEventListener("abort", () => reject(req.signal.reason))
        );
      }
      const body = await req.json();
      const Id = `c${this.#next++}`.padEnd(64, "0");
      this.containers.set(Id, {
        Id,
        Names: [`/${name}`],
        Labels: body.Labels ?? {},
        State: "created",
        Created: new Date().toISOString(),
        body,
      });
      return json({ Id }, 201);
    }
    const m = /^\/containers\/([^/]+)(?:\/(json|start|stop))?$/.exec(path);
    const c = m && this.containers.get(m[1]);
    if (!m || !c) return json({ message: `no such container: ${path}` }, 404);
    if (req.method === "GET" && m[2] === "json") {
      return json({
        Id: c.Id,
        Created: c.Created,
        Image: "sha256:0",
        Config: { Image: (c.body.Image as string) ?? "", Labels: c.Labels },
        State: { Status: c.State, ExitCode: 0, StartedAt: c.Created, FinishedAt: "0001-01-01T00:00:00Z" },
        NetworkSettings: { IPAddress: "10.0.0.2", Networks: {} },
        HostConfig: {},
        Mounts: [],
      });
    }
    if (req.method === "POST" && m[2] === "start") c.State = "running";
    else if (req.method === "POST" && m[2] === "stop") c.State = "exited";
    else if (req.method === "DELETE") this.containers.delete(c.Id);
    return new Response(null, { status: 204 });
  };

  /** Names of containers in `state` (any state when undefined). */
  names(state?: string): string[] {
    return [...this.containers.values()].filter((c) => !state || c.State === state).map((c) => c.Names[0]);
  }
}

const pod = (name: string) =>
  `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers: [{name: main, image: busybox, imagePullPolicy: IfNotPresent}]
`;

async function until(what: string, fn: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("the sync loop adds and removes pods while another pod's worker is stuck in an Engine call that never answers", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kubelet-loop-"));
  const engine = new FakeEngine();
  const docker = new DockerClient(new Transport(parseEndpoint("tcp://fake:1"), engine.fetch));
  const logs: string[] = [];
  const log = createLogger({ write: (line) => void logs.push(line) });
  const kubelet = new Kubelet(
    { nodeName: "unit", rootDir: `${dir}/root`, podInfraContainerImage: "pause:1", syncFrequencyMs: 60_000 },
    platform,
    docker,
    log,
  );
  try {
    const manifests = join(dir, "manifests");
    await platform.mkdir(manifests, { mode: 0o755 });
    await kubelet.start();
    const read = () => readFileSource(platform, manifests, { nodeName: "unit" });

    await writeFile(`${manifests}/hang.yaml`, pod("hang"));
    assert.equal(kubelet.applySnapshot(await read()), undefined, "handing over returns at once");
    await until(
      "the stuck pod's infra container",
      () => engine.names("running").some((n) => n.includes("POD_hang")),
    );

    await writeFile(`${manifests}/web.yaml`, pod("web"));
    kubelet.applySnapshot(await read());
    await until(
      "pod web's container running",
      () => engine.names("running").some((n) => n.includes("main_web")),
    );
    assert.ok(!engine.names().some((n) => n.includes("main_hang")), "the stuck pod's create never answered");

    await rm(`${manifests}/web.yaml`);
    kubelet.applySnapshot(await read());
    await until("pod web's containers removed", () => !engine.names().some((n) => n.includes("_web-unit_")));
    assert.ok(kubelet.podList().items.some((p) => p.metadata.name === "hang-unit"));
  } catch (error) {
    console.error(logs.join("\n"));
    throw error;
  } finally {
    // The stuck call is abandoned, not awaited: stopping must not wait out its deadline.
    await kubelet.stop({ waitMs: 0 });
    await rm(dir, { recursive: true, force: true });
  }
});
