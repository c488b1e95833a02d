import { test } from "node:test";
import assert from "node:assert/strict";
import { DockerClient } from "../../src/docker/client.ts";
import { parseEndpoint, Transport } from "../../src/docker/transport.ts";

/** A multiplexed stdout frame of `size` bytes of `x`. */
function frame(size: number): Uint8Array {
  const out = new Uint8Array(8 + size).fill(0x78, 8);
  out[0] = 1;
  new DataView(out.buffer).setUint32(4, size);
  return out;
}

test("DockerClient.exec keeps 10 KiB of a command's output and reads the rest to the exit code without holding it", async () => {
  let sent = 0;
  const total = 16 * 1024 * 1024;
  const engine = (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path.endsWith("/_ping")) {
      return Promise.resolve(new Response("OK", { headers: { "api-version": "1.44" } }));
    }
    if (path.endsWith("/version")) return Promise.resolve(Response.json({ Version: "20.10.24" }));
    if (path.endsWith("/containers/c1/exec")) return Promise.resolve(Response.json({ Id: "e1" }));
    if (path.endsWith("/exec/e1/json")) {
      return Promise.resolve(Response.json({ ExitCode: 3, Running: false }));
    }
    // 16 MiB of output in 1 MiB frames, made as they are read.
    return Promise.resolve(
      new Response(
        new ReadableStream<Uint8Array>({
          pull(c) {
            if (sent >= total) return c.close();
            sent += 1024 * 1024;
            c.enqueue(frame(1024 * 1024));
          },
        }, { highWaterMark: 0 }),
      ),
    );
  };
  const docker = new DockerClient(new Transport(parseEndpoint("unix:///var/run/docker.sock"), engine));
  const result = await docker.exec("c1", ["yes"]);
  assert.equal(result.exitCode, 3);
  assert.equal(result.output, "x".repeat(10_240));
  assert.equal(sent, total, "the output was read to its end before the exit code was asked");
});
