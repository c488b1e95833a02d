import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { platform } from "../../src/platform/mod.ts";
import { fileStamp, type ManifestFs, RACY_MS, readFileSource } from "../../src/config/file_source.ts";
import { deepFlow, deepJson, mergeBomb } from "../manifest/_hostile.ts";

const NGINX = `apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
    - name: nginx
      image: nginx
      ports:
        - containerPort: 80
      volumeMounts:
        - mountPath: /var/log/nginx
          name: nginx-logs
    - name: log-truncator
      image: busybox
      command: [/bin/sh]
      args: [-c, 'while true; do cat /dev/null > /logdir/access.log; sleep 10; done']
      volumeMounts:
        - mountPath: /logdir
          name: nginx-logs
  volumes:
    - name: nginx-logs
      emptyDir: {}
`;

/** A small pod manifest named `name`, with `extra` appended to its only container. */
function pod(name: string, extra = ""): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: busybox${extra}\n`;
}

const NOW = new Date("2024-05-06T07:08:09Z");
const opts = { nodeName: "node1", now: () => NOW };

let root: string;
let dir: string;
let outside: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "file-source-"));
  dir = join(root, "manifests");
  outside = join(root, "elsewhere");
  await mkdir(dir);
  await mkdir(outside);
  await mkdir(join(dir, "sub"));
  const files: Record<string, string> = {
    "nginx.yaml": NGINX,
    "broken.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\n",
    "deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n",
    "multi.yaml": `${pod("first")}---\n${
      pod("second", "\n      volumeMounts: [{name: logs, mountPath: /logs}]")
    }---\n${pod("third")}`,
    "pod.json": JSON.stringify({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "from-json" },
      spec: { containers: [{ name: "c", image: "busybox" }] },
    }),
    "empty.yaml": "\n",
    ".hidden.yaml": pod("hidden"),
    "nginx.yaml~": pod("backup"),
    "nginx.yaml.swp": pod("swap"),
    "4913": pod("vim-probe"),
    "sub/nested.yaml": pod("nested"),
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  await writeFile(join(outside, "linked.yaml"), pod("linked"));
  await symlink(join(outside, "linked.yaml"), join(dir, "linked.yaml"));
  await symlink(join(outside, "missing.yaml"), join(dir, "dangling.yaml"));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("readFileSource", () => {
  test("reads the good pods of a directory in sorted file order, beside the broken ones", async () => {
    const snapshot = await readFileSource(platform, dir, opts);
    assert.equal(snapshot.source, "file");
    assert.deepEqual(snapshot.pods.map((p) => [p.pod.metadata.name, p.origin]), [
      ["linked-node1", join(dir, "linked.yaml")],
      ["first-node1", join(dir, "multi.yaml")],
      ["third-node1", join(dir, "multi.yaml")],
      ["nginx-node1", join(dir, "nginx.yaml")],
      ["from-json-node1", join(dir, "pod.json")],
    ]);
  });

  test("reports each problem with its file, line and field", async () => {
    const { problems } = await readFileSource(platform, dir, opts);
    const byFile = problems.map((p) => [p.origin.slice(dir.length + 1), p.line, p.message]);
    assert.deepEqual(byFile.filter(([file]) => file !== "broken.yaml"), [
      ["dangling.yaml", undefined, "symlink target does not exist"],
      ["deployment.yaml", 1, "kind: expected Pod, got Deployment"],
      ["empty.yaml", undefined, "file is empty"],
      ["multi.yaml", 10, 'pod "second": spec.containers[0].volumeMounts[0].name: Not found: "logs"'],
      ["sub", undefined, "is a directory; sub-directories are not read"],
    ]);
    const broken = problems.find((p) => p.origin === join(dir, "broken.yaml"));
    assert.match(broken?.message ?? "", /^invalid YAML: /);
    assert.ok(broken?.line, "a YAML syntax error has a line");
  });

  test("lists files that failed, so that their last good pods keep running", async () => {
    const { failedOrigins } = await readFileSource(platform, dir, opts);
    assert.deepEqual(
      failedOrigins,
      ["broken.yaml", "dangling.yaml", "deployment.yaml", "empty.yaml", "multi.yaml"].map((f) =>
        join(dir, f)
      ),
    );
  });

  test("skips dot-files, editor leftovers and sub-directories", async () => {
    const { pods, problems } = await readFileSource(platform, dir, opts);
    const names = pods.map((p) => p.pod.metadata.name);
    for (const skipped of ["hidden", "backup", "swap", "vim-probe", "nested"]) {
      assert.ok(!names.includes(`${skipped}-node1`), skipped);
    }
    assert.ok(!problems.some((p) => /hidden|~|swp|4913|nested/.test(p.origin)));
  });

  test("makes static pods of what it reads", async () => {
    const { pods } = await readFileSource(platform, dir, opts);
    const nginx = pods.find((p) => p.pod.metadata.name === "nginx-node1")!.pod;
    assert.equal(nginx.spec.nodeName, "node1");
    assert.equal(nginx.spec.restartPolicy, "Always");
    assert.equal(nginx.spec.containers[0].imagePullPolicy, "Always");
    assert.equal(nginx.metadata.annotations?.["kubernetes.io/config.source"], "file");
    assert.equal(nginx.metadata.annotations?.["kubernetes.io/config.seen"], "2024-05-06T07:08:09Z");
    assert.equal(nginx.metadata.annotations?.["kubernetes.io/config.hash"], nginx.metadata.uid);
  });

  test("gives the same UIDs on every read of unchanged files", async () => {
    const first = await readFileSource(platform, dir, opts);
    const second = await readFileSource(platform, dir, { nodeName: "node1" });
    assert.deepEqual(second.pods.map((p) => p.pod.metadata.uid), first.pods.map((p) => p.pod.metadata.uid));
  });

  test("reads a single manifest file given as the path", async () => {
    const file = join(dir, "multi.yaml");
    const snapshot = await readFileSource(platform, file, opts);
    assert.deepEqual(snapshot.pods.map((p) => p.pod.metadata.name), ["first-node1", "third-node1"]);
    assert.deepEqual(snapshot.failedOrigins, [file]);
  });

  test("gives an empty snapshot for a path that does not exist", async () => {
    const snapshot = await readFileSource(platform, join(root, "nowhere"), opts);
    assert.deepEqual(snapshot, { source: "file", pods: [], problems: [], failedOrigins: [] });
  });

  test("accepts a directory path with a trailing slash", async () => {
    const snapshot = await readFileSource(platform, `${dir}/`, opts);
    assert.equal(snapshot.pods[0].origin, join(dir, "linked.yaml"));
  });

  // The two cases below need failures a real file system will not produce on demand (the tests may run as root).
  test("throws when the directory cannot be listed", async () => {
    const fs: ManifestFs = {
      stat: platform.stat,
      readDir: () => Promise.reject(new Error("permission denied")),
      readTextFile: platform.readTextFile,
    };
    await assert.rejects(readFileSource(fs, dir, opts), /permission denied/);
  });

  test("ignores a file removed between listing and reading, and reports one it cannot read", async () => {
    const gone = join(dir, "nginx.yaml");
    const unreadable = join(dir, "pod.json");
    const fs: ManifestFs = {
      stat: (path) => (path === gone ? Promise.resolve(null) : platform.stat(path)),
      readDir: platform.readDir,
      readTextFile: (path) =>
        path === gone || path === unreadable
          ? Promise.reject(new Error("EACCES"))
          : platform.readTextFile(path),
    };
    const snapshot = await readFileSource(fs, dir, opts);
    assert.ok(!snapshot.failedOrigins.includes(gone));
    assert.ok(snapshot.failedOrigins.includes(unreadable));
    assert.deepEqual(snapshot.problems.find((p) => p.origin === unreadable), {
      origin: unreadable,
      message: "cannot read: EACCES",
    });
  });
});

describe("readFileSource with hostile files", () => {
  test("reports each hostile file with its name and still reads the good ones", async () => {
    const hostile = await mkdtemp(join(tmpdir(), "file-source-hostile-"));
    try {
      const files: Record<string, string> = {
        "a-bomb.yaml": mergeBomb(),
        "b-deep.yaml": deepFlow(),
        "c-deep.json": deepJson(),
        "d-huge.yaml": pod("huge") + `# ${"x".repeat(1 << 20)}\n`,
        "e-comments.yaml": "# coming soon\n",
        "f-good.yaml": pod("good"),
      };
      for (const [name, text] of Object.entries(files)) await writeFile(join(hostile, name), text);
      const snapshot = await readFileSource(platform, hostile, opts);
      assert.deepEqual(snapshot.pods.map((p) => p.pod.metadata.name), ["good-node1"]);
      assert.deepEqual(snapshot.problems.map((p) => [p.origin.slice(hostile.length + 1), p.message]), [
        ["a-bomb.yaml", "invalid YAML: aliases copy more than 10000 nodes"],
        ["b-deep.yaml", "invalid YAML: nested more than 100 levels deep"],
        ["c-deep.json", "invalid JSON: nested more than 100 levels deep"],
        ["d-huge.yaml", "file is larger than 1048576 bytes, the limit for a manifest; not read"],
      ]);
      assert.deepEqual(snapshot.failedOrigins.map((o) => o.slice(hostile.length + 1)), [
        "a-bomb.yaml",
        "b-deep.yaml",
        "c-deep.json",
        "d-huge.yaml",
      ]);
      assert.deepEqual(snapshot.notes, [{
        origin: join(hostile, "e-comments.yaml"),
        message: "holds no document, only comments or blank ones: no pods",
      }]);
    } finally {
      await rm(hostile, { recursive: true, force: true });
    }
  });

  test("reads no more of a huge file than the limit and a byte", async () => {
    let asked: number | undefined;
    const fs: ManifestFs = {
      stat: platform.stat,
      readDir: platform.readDir,
      readTextFile: (path, options) => {
        asked = options?.maxBytes;
        return platform.readTextFile(path, options);
      },
    };
    await readFileSource(fs, join(dir, "nginx.yaml"), opts);
    assert.equal(asked, 1 << 20);
  });
});

test("readFileSource decodes a file again only when its text changed (the decoded cache)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kubelet-decoded-"));
  try {
    await writeFile(join(dir, "a.yaml"), NGINX);
    const decoded = new Map();
    const first = await readFileSource(platform, dir, { nodeName: "n", decoded });
    const second = await readFileSource(platform, dir, { nodeName: "n", decoded });
    assert.equal(second.pods[0].pod, first.pods[0].pod, "the same decoded pod, not a new decode");
    await writeFile(join(dir, "a.yaml"), NGINX.replace("image: nginx", "image: nginx:1.28"));
    const third = await readFileSource(platform, dir, { nodeName: "n", decoded });
    assert.notEqual(third.pods[0].pod, first.pods[0].pod);
    assert.equal(third.pods[0].pod.spec.containers[0].image, "nginx:1.28");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("readFileSource carries each file's ConfigMaps and Secrets into the snapshot, from its cache too", async () => {
  const dir = await mkdtemp(join(tmpdir(), "file-source-objects-"));
  try {
    await writeFile(
      join(dir, "objects.yaml"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: site}\ndata: {a: '1'}\n---\n" +
        "apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {t: x}\n",
    );
    const decoded = new Map();
    for (let round = 0; round < 2; round++) {
      const snapshot = await readFileSource(platform, dir, { nodeName: "n", now: () => NOW, decoded });
      assert.deepEqual(
        snapshot.configMaps?.map((c) => [c.name, c.data]),
        [["site", { a: "1" }]],
        `round ${round}`,
      );
      assert.deepEqual(snapshot.secrets?.map((s) => s.name), ["creds"], `round ${round}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** `platform`, counting the files read. */
function countingFs(): ManifestFs & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readDir: platform.readDir,
    stat: platform.stat,
    readTextFile: (path, options) => (reads.push(path), platform.readTextFile(path, options)),
  };
}

test("fileStamp trusts only a file last changed RACY_MS or more ago, with inode and ctime known", () => {
  const info = {
    isFile: true,
    isDirectory: false,
    isSocket: false,
    isCharDevice: false,
    isBlockDevice: false,
  };
  const old = { ...info, size: 10, mtimeMs: 1_000, ctimeMs: 1_000, ino: 7, dev: 1 };
  assert.equal(typeof fileStamp(old, 1_000 + RACY_MS), "string");
  assert.equal(fileStamp(old, 1_000 + RACY_MS - 1), undefined, "changed too recently");
  assert.equal(fileStamp({ ...old, ctimeMs: 2_000 }, 1_000 + RACY_MS), undefined, "ctime too recent");
  assert.equal(fileStamp({ ...old, ino: undefined }, 10_000), undefined);
  assert.equal(fileStamp({ ...old, ctimeMs: undefined }, 10_000), undefined);
  const stamps = [
    old,
    { ...old, size: 11 },
    { ...old, mtimeMs: 999 },
    { ...old, ctimeMs: 999 },
    { ...old, ino: 8 },
    { ...old, dev: 2 },
  ].map((i) => fileStamp(i, 10_000));
  assert.equal(new Set(stamps).size, stamps.length, "each field is part of the stamp");
});

test("readFileSource does not read a file whose stamp is unchanged, and reads one changed in place with its mtime set back", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kubelet-stamp-"));
  try {
    const file = join(dir, "a.yaml");
    await writeFile(file, NGINX);
    const fs = countingFs();
    const decoded = new Map();
    // Just written: too recent to trust its stamp, so every reading reads it.
    await readFileSource(fs, dir, { nodeName: "n", decoded });
    await readFileSource(fs, dir, { nodeName: "n", decoded });
    assert.equal(fs.reads.length, 2);
    await new Promise((r) => setTimeout(r, RACY_MS + 100));
    const first = await readFileSource(fs, dir, { nodeName: "n", decoded });
    assert.equal(fs.reads.length, 3, "read once more: the stamp is trusted from now on");
    const again = await readFileSource(fs, dir, { nodeName: "n", decoded });
    assert.equal(fs.reads.length, 3, "not read: its stamp is what it was");
    assert.equal(again.pods[0].pod, first.pods[0].pod);
    // `cp -p` or `rsync -t` style: same size, the old mtime put back. Only ctime tells.
    const { mtime } = await stat(file);
    await writeFile(file, NGINX.replace("image: nginx\n", "image: nginy\n"));
    await utimes(file, mtime, mtime);
    const changed = await readFileSource(fs, dir, { nodeName: "n", decoded });
    assert.equal(fs.reads.length, 4);
    assert.equal(changed.pods[0].pod.spec.containers[0].image, "nginy");
    // A link swapped to another file is another inode.
    await writeFile(join(dir, "target"), pod("linked"));
    await rm(file);
    await symlink(join(dir, "target"), file);
    const linked = await readFileSource(fs, dir, { nodeName: "n", decoded });
    assert.equal(linked.pods[0].pod.metadata.name, "linked-n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
