import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli.ts";
import { platform } from "../../src/platform/mod.ts";
import { captureIo } from "./_io.ts";
import { deepFlow, mergeBomb } from "../manifest/_hostile.ts";

const GOOD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
`;

const BAD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    volumeMounts:
    - name: logs
      mountPath: /logs
  restartPolicy: Sometimes
`;

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), "i5-validate-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("kubelet validate of a good manifest prints nothing on stdout and exits 0", () =>
  withDir(async (dir) => {
    await writeFile(join(dir, "good.yaml"), GOOD);
    const io = captureIo();
    assert.equal(await runCli(["validate", join(dir, "good.yaml")], platform, io), 0);
    assert.equal(io.stdout(), "");
    assert.equal(io.stderr(), "1 file, 1 valid pod: 0 errors, 0 warnings\n");
  }));

test("kubelet validate prints file:line: field: problem for each error and exits 1", () =>
  withDir(async (dir) => {
    const file = join(dir, "bad.yaml");
    await writeFile(file, BAD);
    const io = captureIo();
    assert.equal(await runCli(["validate", file], platform, io), 1);
    assert.equal(
      io.stdout(),
      `${file}:10: spec.containers[0].volumeMounts[0].name: Not found: "logs"\n` +
        `${file}:12: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"\n`,
    );
    assert.equal(io.stderr(), "1 file, 0 valid pods: 2 errors, 0 warnings\n");
  }));

test("kubelet validate reads a directory as the kubelet does: sorted, skipping dot-files and editor leftovers", () =>
  withDir(async (dir) => {
    await writeFile(join(dir, "b.yaml"), GOOD);
    await writeFile(join(dir, "a.yaml"), "apiVersion: apps/v1\nkind: Deployment\n");
    await writeFile(join(dir, ".hidden.yaml"), "not: [valid");
    await writeFile(join(dir, "b.yaml~"), "not: [valid");
    await mkdir(join(dir, "sub"));
    const io = captureIo();
    assert.equal(await runCli(["validate", dir], platform, io), 1);
    assert.equal(
      io.stdout(),
      `${dir}/sub: warning: is a directory; sub-directories are not read\n${dir}/a.yaml:2: kind: expected Pod, got Deployment\n`,
    );
    assert.equal(io.stderr(), "2 files, 1 valid pod: 1 error, 1 warning\n");
  }));

test("kubelet validate reports YAML syntax errors and missing paths, and exits 1", () =>
  withDir(async (dir) => {
    await writeFile(join(dir, "broken.yaml"), "apiVersion: v1\nkind: Pod\nspec: [\n");
    const io = captureIo();
    assert.equal(
      await runCli(["validate", join(dir, "broken.yaml"), join(dir, "missing.yaml")], platform, io),
      1,
    );
    const lines = io.stdout().trim().split("\n");
    assert.match(lines[0], /broken\.yaml:\d+: invalid YAML: /);
    assert.equal(lines[1], `${join(dir, "missing.yaml")}: no such file or directory`);
  }));

test("kubelet validate without a path is a usage error", async () => {
  const io = captureIo();
  assert.equal(await runCli(["validate"], platform, io), 2);
});

test("kubelet validate reports each hostile file once, clearly, and checks the rest", () =>
  withDir(async (dir) => {
    await writeFile(join(dir, "a-deep.yaml"), deepFlow());
    await writeFile(join(dir, "b-bomb.yaml"), mergeBomb());
    await writeFile(join(dir, "c-huge.yaml"), GOOD + `# ${"x".repeat(1 << 20)}\n`);
    await writeFile(join(dir, "d-comments.yaml"), "# nothing here yet\n");
    await writeFile(join(dir, "e-line\nbreak.yaml"), GOOD);
    await writeFile(join(dir, "good.yaml"), GOOD);
    const io = captureIo();
    assert.equal(await runCli(["validate", dir], platform, io), 1);
    assert.equal(
      io.stdout(),
      `${dir}/a-deep.yaml:1: invalid YAML: nested more than 100 levels deep\n` +
        `${dir}/b-bomb.yaml:27: invalid YAML: aliases copy more than 10000 nodes\n` +
        `${dir}/c-huge.yaml: file is larger than 1048576 bytes, the limit for a manifest; not read\n` +
        `${dir}/d-comments.yaml:1: warning: holds no document, only comments or blank ones: no pods\n`,
    );
    assert.equal(io.stderr(), "6 files, 2 valid pods: 3 errors, 1 warning\n");
  }));

test("kubelet validate quotes a file name that holds a line break", () =>
  withDir(async (dir) => {
    const file = join(dir, "x\nE1127 forged.yaml");
    await writeFile(file, BAD);
    const io = captureIo();
    await runCli(["validate", file], platform, io);
    assert.ok(io.stdout().startsWith(`${JSON.stringify(file)}:10: `), io.stdout());
    assert.equal(io.stdout().split("\n").filter((l) => l.startsWith("E1127")).length, 0);
  }));

test("kubelet validate checks ConfigMaps and Secrets beside pods and counts them", () =>
  withDir(async (dir) => {
    const file = join(dir, "objects.yaml");
    await writeFile(
      file,
      GOOD + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata: {a: '1'}\n" +
        "---\napiVersion: v1\nkind: Secret\nmetadata: {name: creds}\ndata: {token: 'c2VjcmV0LXZhbHVl!'}\n",
    );
    const io = captureIo();
    assert.equal(await runCli(["validate", file], platform, io), 1);
    assert.match(
      io.stdout(),
      /objects\.yaml:\d+: data\[token\]: Invalid value: "<secret contents redacted>": illegal base64/,
    );
    assert.doesNotMatch(io.stdout(), /c2VjcmV0/);
    assert.equal(io.stderr(), "1 file, 1 valid pod, 1 valid ConfigMap/Secret: 1 error, 0 warnings\n");
  }));
