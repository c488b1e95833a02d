import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { tar } from "../../src/docker/tar.ts";

/** Runs the system tar with `args`, feeding it `archive` on standard input. */
function systemTar(args: string[], archive: Uint8Array): string {
  const result = spawnSync("tar", args, { input: archive, env: { ...process.env, TZ: "UTC", LC_ALL: "C" } });
  assert.equal(result.status, 0, `tar ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.toString();
}

/** Extracts `archive` into a new temporary directory and passes it to `check`. */
function withExtracted(archive: Uint8Array, check: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "tar-test-"));
  try {
    systemTar(["-xf", "-", "-C", dir], archive);
    check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function bytes(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

test("tar writes an archive that the system tar lists with names, types, modes, owners and sizes", () => {
  const archive = tar([
    { name: "etc", type: "directory" },
    { name: "etc/passwd", data: new TextEncoder().encode("root:x:0:0::/:/bin/sh\n") },
    { name: "/pause", data: bytes(215, 1), mode: 0o755 },
    { name: "./empty" },
    { name: "var/log/", type: "directory", mode: 0o700 },
  ]);
  const lines = systemTar(["-tvf", "-"], archive).trim().split("\n");
  const fields = lines.map((line) => {
    const [mode, owner, size, date, time, name] = line.split(/\s+/);
    return { mode, owner, size: Number(size), date, time, name };
  });
  assert.deepEqual(fields, [
    { mode: "drwxr-xr-x", owner: "0/0", size: 0, date: "1970-01-01", time: "00:00", name: "etc/" },
    { mode: "-rw-r--r--", owner: "0/0", size: 22, date: "1970-01-01", time: "00:00", name: "etc/passwd" },
    { mode: "-rwxr-xr-x", owner: "0/0", size: 215, date: "1970-01-01", time: "00:00", name: "pause" },
    { mode: "-rw-r--r--", owner: "0/0", size: 0, date: "1970-01-01", time: "00:00", name: "empty" },
    { mode: "drwx------", owner: "0/0", size: 0, date: "1970-01-01", time: "00:00", name: "var/log/" },
  ]);
});

test("tar contents extract byte for byte, with their modes, around block boundaries", () => {
  const sizes = [0, 1, 511, 512, 513, 1024, 70_000];
  const archive = tar(sizes.map((size, i) => ({ name: `f${size}`, data: bytes(size, i), mode: 0o600 + i })));
  withExtracted(archive, (dir) => {
    sizes.forEach((size, i) => {
      const path = join(dir, `f${size}`);
      assert.deepEqual(new Uint8Array(readFileSync(path)), bytes(size, i), `contents of f${size}`);
      assert.equal(statSync(path).mode & 0o7777, 0o600 + i, `mode of f${size}`);
    });
  });
});

test("tar pads every member to 512 bytes and ends with two zero blocks", () => {
  const archive = tar([{ name: "a", data: bytes(600, 0) }]);
  assert.equal(archive.length, 512 + 1024 + 1024);
  assert.ok(archive.subarray(archive.length - 1024).every((b) => b === 0));
  assert.equal(tar([]).length, 1024);
});

test("tar output depends only on the entries", () => {
  const entries = [{ name: "pause", data: bytes(100, 7), mode: 0o755 }];
  assert.deepEqual(tar(entries), tar(entries));
});

test("tar stores a name longer than 100 bytes with the ustar prefix", () => {
  const dir = `${"d".repeat(60)}/${"e".repeat(60)}`;
  const file = `${dir}/${"f".repeat(90)}`;
  assert.ok(file.length > 100);
  const archive = tar([
    { name: dir, type: "directory" },
    { name: file, data: bytes(10, 3) },
  ]);
  assert.deepEqual(systemTar(["-tf", "-"], archive).trim().split("\n"), [`${dir}/`, file]);
  withExtracted(archive, (root) => {
    assert.deepEqual(new Uint8Array(readFileSync(join(root, file))), bytes(10, 3));
  });
});

test("tar rejects a name that cannot be split into ustar's prefix and name", () => {
  const longComponent = "x".repeat(101);
  assert.throws(() => tar([{ name: `dir/${longComponent}` }]), (error: unknown) => {
    assert.ok(error instanceof RangeError);
    assert.match(error.message, new RegExp(longComponent));
    assert.match(error.message, /does not fit ustar/);
    return true;
  });
  assert.throws(() => tar([{ name: `${"p".repeat(160)}/file` }]), RangeError);
});

test("tar rejects empty names and bad modes", () => {
  assert.throws(() => tar([{ name: "" }]), /names no file/);
  assert.throws(() => tar([{ name: "/" }]), /names no file/);
  assert.throws(() => tar([{ name: "a", mode: 0o10000 }]), /mode/);
  assert.throws(() => tar([{ name: "a", mode: 1.5 }]), /mode/);
});
