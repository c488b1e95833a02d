import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFile, mkdtemp, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import type { DockerClient } from "../../src/docker/client.ts";
import type { ContainerInspect } from "../../src/docker/types.ts";
import { platform } from "../../src/platform/mod.ts";
import { LABEL_TERMINATION_MESSAGE_PATH } from "../../src/runtime/labels.ts";
import {
  MAX_MESSAGE_BYTES,
  readLast,
  terminationMessageReader,
} from "../../src/runtime/termination_message.ts";

function inspectWith(source: string): ContainerInspect {
  return {
    Id: "c1",
    Config: { Labels: { [LABEL_TERMINATION_MESSAGE_PATH]: "/dev/termination-log" } },
    State: { ExitCode: 1 },
    Mounts: [{ Source: source, Destination: "/dev/termination-log" }],
  } as unknown as ContainerInspect;
}

test("terminationMessageReader reads only the last 4 KiB of a huge message file", async () => {
  const dir = await mkdtemp(`${tmpdir()}/kubelet-tm-`);
  const path = `${dir}/msg`;
  // A 1 GiB sparse file: reading it whole would take a GiB of memory.
  await writeFile(path, "");
  await truncate(path, 1024 ** 3);
  await appendFile(path, "the end\n");
  const read = terminationMessageReader(platform, {} as DockerClient);
  const message = await read(inspectWith(path));
  assert.equal(new TextEncoder().encode(message!).length, MAX_MESSAGE_BYTES);
  assert.ok(message!.endsWith("\0the end\n"));
  await rm(dir, { recursive: true });
});

test("terminationMessageReader reads a short file whole and refuses a link", async () => {
  const dir = await mkdtemp(`${tmpdir()}/kubelet-tm-`);
  await writeFile(`${dir}/msg`, "done: 42");
  await symlink("/etc/passwd", `${dir}/link`);
  const read = terminationMessageReader(platform, {} as DockerClient);
  assert.equal(await read(inspectWith(`${dir}/msg`)), "done: 42");
  assert.match((await read(inspectWith(`${dir}/link`)))!, /^Error on reading termination log .*link/);
  await rm(dir, { recursive: true });
});

test("readLast keeps the last bytes of a stream across chunk edges", async () => {
  const enc = new TextEncoder();
  const stream = (parts: string[]) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of parts) c.enqueue(enc.encode(p));
        c.close();
      },
    });
  const text = async (parts: string[], max: number) =>
    new TextDecoder().decode(await readLast(stream(parts), max));
  assert.equal(await text(["abc", "def", "gh"], 4), "efgh");
  assert.equal(await text(["abcdefgh"], 3), "fgh");
  assert.equal(await text(["ab"], 10), "ab");
  assert.equal(await text([], 10), "");
});
