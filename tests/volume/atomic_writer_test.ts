import { test } from "node:test";
import assert from "node:assert/strict";
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { platform } from "../../src/platform/mod.ts";
import { currentDataDir, timestampPrefix, writeAtomically } from "../../src/volume/atomic_writer.ts";
import { MAX_VOLUME_BYTES, type Payload, VolumeSetupError } from "../../src/volume/payload.ts";

const text = (s: string) => new TextEncoder().encode(s);
const payloadOf = (files: Record<string, [string, number?]>): Payload =>
  new Map(
    Object.entries(files).map(([path, [data, mode]]) => [path, { data: text(data), mode: mode ?? 0o644 }]),
  );

/** A fresh target directory and a sibling "outside" directory an attacker would like written. */
async function withDirs(fn: (target: string, outside: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "atomic-writer-"));
  try {
    await mkdir(join(root, "vol"));
    await mkdir(join(root, "outside"));
    await writeFile(join(root, "outside", "keep"), "untouched");
    await fn(join(root, "vol"), join(root, "outside"));
    assert.equal(await readFile(join(root, "outside", "keep"), "utf8"), "untouched");
    assert.deepEqual((await readdir(join(root, "outside"))).sort(), ["keep"]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const tsDirs = async (target: string) => (await readdir(target)).filter((n) => /^\.\.\d{4}_/.test(n));

test("writeAtomically writes the files into a timestamped directory behind ..data, with links key -> ..data/key", async () => {
  await withDirs(async (target) => {
    const now = new Date(Date.UTC(2026, 10, 30, 8, 10, 5));
    assert.equal(await writeAtomically(platform, target, payloadOf({ a: ["1"], "d/e/f": ["2"] }), now), true);
    const [ts] = await tsDirs(target);
    assert.match(ts, /^\.\.2026_11_30_08_10_05\./);
    assert.equal(await readlink(join(target, "..data")), ts);
    assert.equal(await readlink(join(target, "a")), "..data/a");
    assert.equal(await readlink(join(target, "d")), "..data/d");
    assert.equal(await readFile(join(target, "a"), "utf8"), "1");
    assert.equal(await readFile(join(target, "d/e/f"), "utf8"), "2");
    assert.deepEqual((await readdir(target)).sort(), ["..data", ts, "a", "d"].sort());
    assert.equal((await stat(join(target, ts))).mode & 0o777, 0o755);
    assert.equal((await stat(join(target, ts, "d", "e"))).mode & 0o777, 0o755);
  });
});

test("writeAtomically gives each file its mode exactly, whatever the umask", async () => {
  await withDirs(async (target) => {
    await writeAtomically(
      platform,
      target,
      payloadOf({ secret: ["s", 0o400], run: ["#!/bin/sh", 0o755], open: ["o", 0o666] }),
    );
    assert.equal((await stat(join(target, "secret"))).mode & 0o777, 0o400);
    assert.equal((await stat(join(target, "run"))).mode & 0o777, 0o755);
    assert.equal((await stat(join(target, "open"))).mode & 0o777, 0o666);
  });
});

test("writeAtomically swaps in the new version in one rename and removes the old directory and gone keys", async () => {
  await withDirs(async (target) => {
    await writeAtomically(platform, target, payloadOf({ a: ["1"], gone: ["x"] }));
    const [first] = await tsDirs(target);
    assert.equal(await writeAtomically(platform, target, payloadOf({ a: ["2"], b: ["3"] })), true);
    const dirs = await tsDirs(target);
    assert.equal(dirs.length, 1);
    assert.notEqual(dirs[0], first);
    assert.equal(await readlink(join(target, "..data")), dirs[0]);
    assert.equal(await readFile(join(target, "a"), "utf8"), "2");
    assert.equal(await readFile(join(target, "b"), "utf8"), "3");
    assert.equal(await lstat(join(target, "gone")).catch(() => null), null);
    assert.deepEqual((await readdir(target)).sort(), ["..data", dirs[0], "a", "b"].sort());
  });
});

test("writeAtomically writes nothing when the volume already holds the payload", async () => {
  await withDirs(async (target) => {
    await writeAtomically(platform, target, payloadOf({ a: ["1"], "x/y": ["2"] }));
    const before = await tsDirs(target);
    assert.equal(await writeAtomically(platform, target, payloadOf({ a: ["1"], "x/y": ["2"] })), false);
    assert.deepEqual(await tsDirs(target), before);
    // One byte changed is a change.
    assert.equal(await writeAtomically(platform, target, payloadOf({ a: ["1"], "x/y": ["3"] })), true);
  });
});

test("writeAtomically refuses payload paths that would leave the volume or use its own names", async () => {
  await withDirs(async (target, outside) => {
    for (const path of ["../outside/x", "/etc/passwd", "a/../../x", "..data/x", "..x", "", "a\0b"]) {
      await assert.rejects(
        writeAtomically(platform, target, payloadOf({ [path]: ["evil"] })),
        VolumeSetupError,
        `path ${JSON.stringify(path)}`,
      );
    }
    assert.deepEqual(await readdir(target), []);
    assert.deepEqual(await readdir(outside), ["keep"]);
  });
});

test("writeAtomically never follows links planted in the target directory", async () => {
  await withDirs(async (target, outside) => {
    // A ..data pointing outside, a visible name linked outside, a leftover ..data_tmp and a
    // timestamped-looking link to the outside: all are replaced or removed as links.
    await symlink(outside, join(target, "..data"));
    await symlink(join(outside, "keep"), join(target, "a"));
    await symlink(outside, join(target, "..data_tmp"));
    await symlink(outside, join(target, "..2020_01_01_00_00_00.evil"));
    assert.equal(await currentDataDir(platform, target), undefined);
    await writeAtomically(platform, target, payloadOf({ a: ["mine"], keep: ["mine too"] }));
    assert.equal(await readFile(join(target, "a"), "utf8"), "mine");
    assert.equal(await readlink(join(target, "a")), "..data/a");
    assert.equal(await readFile(join(target, "keep"), "utf8"), "mine too");
    assert.equal((await tsDirs(target)).length, 1);
    assert.equal(await lstat(join(target, "..data_tmp")).catch(() => null), null);
  });
});

test("writeAtomically does not compare against a ..data link that leads outside", async () => {
  await withDirs(async (target, outside) => {
    await writeFile(join(outside, "a"), "1");
    await symlink(`../outside`, join(target, "..data"));
    await symlink("..data/a", join(target, "a"));
    // Same bytes as the outside file: still written, since ..data is not the writer's.
    assert.equal(await writeAtomically(platform, target, payloadOf({ a: ["1"] })), true);
    assert.match(await readlink(join(target, "..data")), /^\.\.\d{4}_/);
    await rm(join(outside, "a"));
  });
});

test("writeAtomically refuses a target that is a link", async () => {
  await withDirs(async (target, outside) => {
    const link = join(target, "..", "link");
    await symlink(outside, link);
    await assert.rejects(writeAtomically(platform, link, payloadOf({ a: ["1"] })), VolumeSetupError);
  });
});

test("writeAtomically refuses a payload over the size bound, and a file that is another's directory", async () => {
  await withDirs(async (target) => {
    const big: Payload = new Map([["big", { data: new Uint8Array(MAX_VOLUME_BYTES + 1), mode: 0o644 }]]);
    await assert.rejects(writeAtomically(platform, target, big), /at most/);
    await assert.rejects(
      writeAtomically(platform, target, payloadOf({ a: ["1"], "a/b": ["2"] })),
      /directory/,
    );
    assert.deepEqual(await readdir(target), []);
  });
});

test("timestampPrefix is the kubelet's ..2006_01_02_15_04_05. in UTC", () => {
  assert.equal(timestampPrefix(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), "..2026_01_02_03_04_05.");
});
