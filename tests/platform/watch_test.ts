import { test } from "node:test";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { platform } from "../../src/platform/mod.ts";

/** Polls until `fn` is true; fails after `ms`. */
async function until(what: string, fn: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !fn();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Watches `path`, counting calls, for the duration of `fn`. */
async function watching(path: string, fn: (calls: () => number) => Promise<void>): Promise<void> {
  let n = 0;
  const abort = new AbortController();
  platform.watch(path, () => n++, abort.signal);
  try {
    await fn(() => n);
  } finally {
    abort.abort();
  }
}

/** Waits until calls stop coming for a moment, then checks that a new file in `dir` is seen. */
async function seesNewFile(dir: string, calls: () => number, name: string): Promise<void> {
  let last = -1;
  await until("quiet", () => {
    const settled = calls() === last;
    last = calls();
    return settled;
  });
  const before = calls();
  await writeFile(`${dir}/${name}`, "x");
  await until(`the watch to see ${name}`, () => calls() > before);
}

test("watch follows a directory removed and made again", async () => {
  const base = await mkdtemp(`${tmpdir()}/kubelet-watch-`);
  const dir = `${base}/manifests`;
  await mkdir(dir);
  await watching(dir, async (calls) => {
    await seesNewFile(dir, calls, "a.yaml");
    await rm(dir, { recursive: true });
    await mkdir(dir);
    const before = calls();
    await until("the replaced directory reported", () => calls() > before);
    await seesNewFile(dir, calls, "b.yaml");
  });
  await rm(base, { recursive: true });
});

test("watch follows another directory renamed over the path", async () => {
  const base = await mkdtemp(`${tmpdir()}/kubelet-watch-`);
  const dir = `${base}/manifests`;
  await mkdir(dir);
  await mkdir(`${base}/next`);
  await writeFile(`${base}/next/pod.yaml`, "x");
  await watching(dir, async (calls) => {
    const before = calls();
    await rename(dir, `${base}/old`);
    await rename(`${base}/next`, dir);
    await until("the new directory reported", () => calls() > before);
    await seesNewFile(dir, calls, "c.yaml");
  });
  await rm(base, { recursive: true });
});

test("watch reports a path that appears after the watch began, and then watches it", async () => {
  const base = await mkdtemp(`${tmpdir()}/kubelet-watch-`);
  const dir = `${base}/later`;
  await watching(dir, async (calls) => {
    await mkdir(dir);
    await writeFile(`${dir}/pod.yaml`, "x");
    await until("the new path reported", () => calls() > 0);
    await seesNewFile(dir, calls, "d.yaml");
  });
  await rm(base, { recursive: true });
});
