import { test } from "node:test";
import assert from "node:assert/strict";
import { demux, type Frame } from "../../src/docker/demux.ts";

const enc = new TextEncoder();

function frame(type: number, text: string): Uint8Array {
  const payload = enc.encode(text);
  const out = new Uint8Array(8 + payload.length);
  out[0] = type;
  new DataView(out.buffer).setUint32(4, payload.length);
  out.set(payload, 8);
  return out;
}

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function readAll(stream: ReadableStream<Frame>): Promise<[string, string][]> {
  const out: [string, string][] = [];
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    const last = out.at(-1);
    // Parts of one frame come one after the other: join runs of one stream to compare.
    if (last && last[0] === r.value.stream) last[1] += new TextDecoder().decode(r.value.data);
    else out.push([r.value.stream, new TextDecoder().decode(r.value.data)]);
  }
  return out;
}

for (const size of [1, 5, 1000]) {
  test(`demux names each payload's stream, from an async iterable in chunks of ${size} bytes`, async () => {
    const bytes = new Uint8Array([
      ...frame(1, "out\n"),
      ...frame(2, "err\n"),
      ...frame(1, ""),
      ...frame(0, "in"),
    ]);
    assert.deepEqual(await readAll(demux(chunks(bytes, size))), [
      ["stdout", "out\n"],
      ["stderr", "err\n"],
      ["stdin", "in"],
    ]);
  });
}

test("demux passes a frame's bytes on as they arrive, before the frame is complete", async () => {
  const whole = frame(1, "0123456789");
  let sent = false;
  const source = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent) return new Promise(() => {}); // the rest of the frame never comes
      sent = true;
      c.enqueue(whole.slice(0, 12));
    },
  });
  const { value } = await demux(source).getReader().read();
  assert.equal(new TextDecoder().decode(value!.data), "0123");
});

test("demux fails when the source ends inside a frame", async () => {
  const bytes = frame(1, "truncated").slice(0, 11);
  await assert.rejects(readAll(demux(chunks(bytes, 100))), /ends inside a frame/);
});
