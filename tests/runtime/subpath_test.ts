import { test } from "node:test";
import assert from "node:assert/strict";
import { lstat, mkdir, mkdtemp, readdir, readlink, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LinkInfo } from "../../src/platform/types.ts";
import { resolveSubPath, resolveSubPaths, SubPathError, verifySubPath } from "../../src/runtime/subpath.ts";

/** The two calls the resolver makes, on the real filesystem (node:fs runs under Deno and Bun alike). */
const fs = {
  async lstat(path: string): Promise<LinkInfo | null> {
    try {
      const s = await lstat(path);
      return {
        isFile: s.isFile(),
        isDirectory: s.isDirectory(),
        isSymlink: s.isSymbolicLink(),
        isSocket: s.isSocket(),
        isCharDevice: s.isCharacterDevice(),
        isBlockDevice: s.isBlockDevice(),
        mtimeMs: s.mtimeMs,
        size: s.size,
      };
    } catch (error) {
      if ((error as { code?: string }).code === "ENOENT") return null;
      throw error;
    }
  },
  async mkdir(path: string, options?: { mode?: number }) {
    await mkdir(path, { recursive: true, mode: options?.mode });
  },
  readLink: (path: string) => readlink(path),
};

/** A volume directory and, beside it, an "outside" directory a link may point to. */
async function scratch(): Promise<
  { dir: string; volume: string; outside: string; done: () => Promise<void> }
> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), "subpath-test-")));
  await mkdir(`${dir}/volume`);
  await mkdir(`${dir}/outside`);
  return {
    dir,
    volume: `${dir}/volume`,
    outside: `${dir}/outside`,
    done: () => rm(dir, { recursive: true, force: true }),
  };
}

test("resolveSubPath creates a missing nested subPath inside the volume, one directory at a time", async () => {
  const s = await scratch();
  try {
    assert.equal(await resolveSubPath(fs, s.volume, "a/b/c"), `${s.volume}/a/b/c`);
    assert.ok((await lstat(`${s.volume}/a/b/c`)).isDirectory());
    // Existing paths, `.` and doubled slashes resolve to the same place without creating anything else.
    assert.equal(await resolveSubPath(fs, `${s.volume}/`, "./a//b/c/"), `${s.volume}/a/b/c`);
  } finally {
    await s.done();
  }
});

test("resolveSubPath accepts an existing file as the last component", async () => {
  const s = await scratch();
  try {
    await mkdir(`${s.volume}/conf`);
    await writeFile(`${s.volume}/conf/app.ini`, "x");
    assert.equal(await resolveSubPath(fs, s.volume, "conf/app.ini"), `${s.volume}/conf/app.ini`);
  } finally {
    await s.done();
  }
});

test("resolveSubPath refuses a subPath that is a symbolic link the workload planted (ln -s / escape)", async () => {
  const s = await scratch();
  try {
    await symlink("/", `${s.volume}/escape`);
    await assert.rejects(resolveSubPath(fs, s.volume, "escape"), (e) => {
      assert.ok(e instanceof SubPathError);
      assert.match(e.message, /escape is a symbolic link/);
      return true;
    });
  } finally {
    await s.done();
  }
});

test("resolveSubPath never creates anything through a link in the middle of the subPath", async () => {
  const s = await scratch();
  try {
    await symlink(s.outside, `${s.volume}/escape`);
    await assert.rejects(resolveSubPath(fs, s.volume, "escape/x/y"), SubPathError);
    assert.deepEqual(await readdir(s.outside), [], "nothing was made outside the volume");
  } finally {
    await s.done();
  }
});

test("resolveSubPath refuses a relative link even when it points inside the volume", async () => {
  const s = await scratch();
  try {
    await mkdir(`${s.volume}/real`);
    await symlink("real", `${s.volume}/alias`);
    await assert.rejects(resolveSubPath(fs, s.volume, "alias"), /alias is a symbolic link/);
    await symlink("../outside", `${s.volume}/up`);
    await assert.rejects(resolveSubPath(fs, s.volume, "up/z"), /up is a symbolic link/);
    assert.deepEqual(await readdir(s.outside), []);
  } finally {
    await s.done();
  }
});

test("resolveSubPath refuses a file in the middle of the subPath", async () => {
  const s = await scratch();
  try {
    await writeFile(`${s.volume}/file`, "x");
    await assert.rejects(resolveSubPath(fs, s.volume, "file/below"), /file is not a directory/);
  } finally {
    await s.done();
  }
});

test("resolveSubPath refuses '..', absolute paths and NUL bytes before touching the disk", async () => {
  const s = await scratch();
  try {
    for (const bad of ["..", "a/../../outside", "/etc", "a\0b"]) {
      await assert.rejects(resolveSubPath(fs, s.volume, bad), SubPathError, bad);
    }
    assert.deepEqual(await readdir(s.volume), []);
  } finally {
    await s.done();
  }
});

test("verifySubPath catches a directory swapped for a link after it was checked", async () => {
  const s = await scratch();
  try {
    await resolveSubPath(fs, s.volume, "data/logs");
    await rm(`${s.volume}/data`, { recursive: true });
    await symlink(s.outside, `${s.volume}/data`);
    await assert.rejects(verifySubPath(fs, s.volume, "data/logs"), /data is a symbolic link/);
  } finally {
    await s.done();
  }
});

test("resolveSubPaths checks the subPaths of disk-backed mounts by mount index and names the mount that fails", async () => {
  const s = await scratch();
  try {
    const volumes = {
      data: { kind: "bind" as const, path: s.volume },
      mem: { kind: "tmpfs" as const, volumeName: "k8s_u_mem" },
    };
    const container = {
      name: "app",
      image: "x",
      volumeMounts: [
        { name: "data", mountPath: "/all" },
        { name: "data", mountPath: "/logs", subPath: "logs" },
        { name: "mem", mountPath: "/m", subPath: "m" },
      ],
    };
    assert.deepEqual(await resolveSubPaths(fs, container, volumes), { 1: `${s.volume}/logs` });
    await symlink("/", `${s.volume}/escape`);
    container.volumeMounts.push({ name: "data", mountPath: "/host", subPath: "escape" });
    await assert.rejects(
      resolveSubPaths(fs, container, volumes),
      /^SubPathError: volumeMount data: subPath "escape"/,
    );
  } finally {
    await s.done();
  }
});

test("resolveSubPaths resolves a subPath of an API-data volume inside the version ..data names, not through its links", async () => {
  const s = await scratch();
  try {
    // The atomic writer's layout: ..data -> ..<timestamp>, key -> ..data/key.
    await mkdir(`${s.volume}/..2026_11_30_08_00_00.abc`);
    await writeFile(`${s.volume}/..2026_11_30_08_00_00.abc/app.conf`, "x=1");
    await symlink("..2026_11_30_08_00_00.abc", `${s.volume}/..data`);
    await symlink("..data/app.conf", `${s.volume}/app.conf`);
    const volumes = { cfg: { kind: "bind" as const, path: s.volume, readOnly: true, atomic: true } };
    const container = {
      name: "app",
      image: "x",
      volumeMounts: [{ name: "cfg", mountPath: "/etc/app.conf", subPath: "app.conf" }],
    };
    assert.deepEqual(await resolveSubPaths(fs, container, volumes), {
      0: `${s.volume}/..2026_11_30_08_00_00.abc/app.conf`,
    });
    // A ..data that is not the writer's own (a link out of the volume) is refused, never followed.
    await rm(`${s.volume}/..data`);
    await symlink(s.outside, `${s.volume}/..data`);
    await assert.rejects(resolveSubPaths(fs, container, volumes), /the volume holds no data/);
  } finally {
    await s.done();
  }
});
