/**
 * The binary's subcommands against a running kubelet: `pods` (table, wide,
 * json, yaml), `logs`, `validate` and `version`, with their output and exit
 * codes.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { parse } from "yaml";
import {
  BINARY,
  busyboxPod,
  cleanup,
  docker,
  e2eNode,
  e2ePort,
  getPod,
  type RunningKubelet,
  startKubelet,
  tempDir,
  waitFor,
} from "./_harness.ts";
import { checkPodList } from "../_fixtures/pod_list_check.ts";

const node = e2eNode("cli");
const port = e2ePort(18351);
const server = `http://127.0.0.1:${port}`;
let dir = "";
let kubelet: RunningKubelet | undefined;

const kubeletCli = (...args: string[]) => spawnSync(BINARY, args, { encoding: "utf8", timeout: 20_000 });

before(async () => {
  dir = await tempDir(node);
  await cleanup(node);
  await mkdir(`${dir}/manifests`);
  await writeFile(
    `${dir}/manifests/hello.yaml`,
    busyboxPod("hello", "for i in 1 2 3 4 5; do echo hello $i; done; sleep 1000"),
  );
  // Labels and annotations YAML 1.1 would read as booleans and numbers if written plain.
  await writeFile(
    `${dir}/manifests/tricky.yaml`,
    busyboxPod("tricky", "sleep 1000").replace(
      "  name: tricky\n",
      '  name: tricky\n  labels: {enabled: "yes", legacy: "no", tier: "on"}\n  annotations: {perm: "0755", flag: "off", short: "y"}\n',
    ),
  );
  kubelet = await startKubelet({ node, port, manifests: `${dir}/manifests`, rootDir: `${dir}/root` });
  await waitFor(
    "hello running",
    async () => (await getPod(port, `hello-${node}`))?.status?.containerStatuses?.[0].ready,
  );
  await waitFor(
    "tricky running",
    async () => (await getPod(port, `tricky-${node}`))?.status?.containerStatuses?.[0].ready,
  );
});

after(async () => {
  await kubelet?.stop("SIGKILL");
  await cleanup(node, dir);
});

test("kubelet pods prints NAME READY STATUS RESTARTS AGE and exits 0", () => {
  const r = kubeletCli("pods", "--server", server);
  assert.equal(r.status, 0, r.stderr);
  const [header, row, tricky, ...rest] = r.stdout.split("\n");
  assert.match(header, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
  assert.match(row, new RegExp(`^hello-${node}\\s+1/1\\s+Running\\s+0\\s+\\d+s$`));
  assert.match(tricky, new RegExp(`^tricky-${node}\\s+1/1\\s+Running`));
  assert.deepEqual(rest, [""]);
});

test("kubelet pods -o wide adds the pod's IP and node", () => {
  const r = kubeletCli("pods", "--server", server, "-o", "wide");
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout.split("\n")[1],
    new RegExp(`\\s\\d+\\.\\d+\\.\\d+\\.\\d+\\s+${node}\\s+<none>\\s+<none>$`),
  );
});

test("kubelet pods -o json and -o yaml print a PodList clients decode", () => {
  const json = kubeletCli("pods", "--server", server, "-o", "json");
  assert.equal(json.status, 0, json.stderr);
  const list = JSON.parse(json.stdout);
  checkPodList(list);
  const yaml = kubeletCli("pods", "--server", server, "-o", "yaml");
  assert.equal(yaml.status, 0, yaml.stderr);
  assert.deepEqual(parse(yaml.stdout).items.map((p: { metadata: { name: string } }) => p.metadata.name), [
    `hello-${node}`,
    `tricky-${node}`,
  ]);
  // Read back with YAML 1.1 rules, as kubectl reads it, the YAML is the JSON.
  assert.deepEqual(parse(yaml.stdout, { version: "1.1" }), list);
});

test("kubelet pods -l SELECTOR -o name and --no-headers", () => {
  const names = kubeletCli("pods", "--server", server, "-l", "enabled=yes", "-o", "name");
  assert.equal(names.status, 0, names.stderr);
  assert.equal(names.stdout, `pod/tricky-${node}\n`);
  const rows = kubeletCli("pods", "--server", server, "--no-headers");
  assert.equal(rows.status, 0, rows.stderr);
  assert.match(
    rows.stdout,
    new RegExp(`^hello-${node}\\s+1/1\\s+Running\\s+0\\s+\\S+\\ntricky-${node}\\s+1/1\\s+Running`),
  );
});

test("kubelet pods exits 1 with one line when no kubelet answers", () => {
  const r = kubeletCli("pods", "--server", "http://127.0.0.1:1");
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    /^error: cannot reach the kubelet's status server at http:\/\/127\.0\.0\.1:1: .+\n$/,
  );
});

test("kubelet logs prints the container's log; --tail limits it; an unknown container exits 1", () => {
  const all = kubeletCli("logs", "hello", "--server", server);
  assert.equal(all.status, 0, all.stderr);
  assert.equal(all.stdout, "hello 1\nhello 2\nhello 3\nhello 4\nhello 5\n");
  const tail = kubeletCli("logs", `hello-${node}`, "-c", "main", "--tail", "2", "--server", server);
  assert.equal(tail.stdout, "hello 4\nhello 5\n");
  const stamped = kubeletCli("logs", "hello", "--tail", "1", "--timestamps", "--server", server);
  assert.match(stamped.stdout, /^\d{4}-\d\d-\d\dT\S+Z hello 5\n$/);
  const missing = kubeletCli("logs", "hello", "-c", "nope", "--server", server);
  assert.equal(missing.status, 1);
  assert.equal(
    missing.stderr,
    `Error from server (NotFound): container "nope" not found in pod "hello-${node}"\n`,
  );
  const previous = kubeletCli("logs", "hello", "--previous", "--server", server);
  assert.equal(previous.status, 1);
  assert.match(
    previous.stderr,
    /^Error from server \(BadRequest\): previous terminated container "main" in pod "hello-.*" not found\n$/,
  );
});

test("kubelet logs -f keeps streaming until interrupted", async () => {
  const { spawn } = await import("node:child_process");
  const child = spawn(BINARY, ["logs", "hello", "-f", "--server", server], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    await waitFor("the log so far", () => out.includes("hello 5\n"), { timeoutMs: 10_000, intervalMs: 100 });
    // A line the container writes later (to its PID 1's stdout, which is its log) still arrives.
    const id = (await getPod(port, `hello-${node}`))!.status!.containerStatuses![0].containerID!;
    await docker("exec", id.replace("docker://", ""), "sh", "-c", "echo hello later > /proc/1/fd/1");
    await waitFor("the later line", () => out.includes("hello later\n"), {
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    assert.equal(child.exitCode, null, "still following");
  } finally {
    child.kill("SIGINT");
  }
  await exited;
});

test("kubelet validate prints file:line: field: problem and exits 1 on errors, 0 when clean", async () => {
  await writeFile(
    `${dir}/bad.yaml`,
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: c\n",
  );
  const bad = kubeletCli("validate", `${dir}/bad.yaml`);
  assert.equal(bad.status, 1);
  assert.equal(bad.stdout, `${dir}/bad.yaml:7: spec.containers[0].image: Required value\n`);
  assert.equal(bad.stderr, "1 file, 0 valid pods: 1 error, 0 warnings\n");
  const good = kubeletCli("validate", `${dir}/manifests`);
  assert.equal(good.status, 0, good.stdout);
  assert.equal(good.stdout, "");
});

test("kubelet exec runs a command through the Engine: stdout and stderr apart, its exit code passed through", () => {
  const r = kubeletCli(
    "exec",
    "hello",
    "--server",
    server,
    "--",
    "sh",
    "-c",
    "echo out; echo err >&2; exit 3",
  );
  assert.equal(r.status, 3, r.stderr);
  assert.equal(r.stdout, "out\n");
  assert.equal(r.stderr, "err\n");
  const missing = kubeletCli("exec", "hello", "--server", server, "--", "no-such-command");
  assert.equal(missing.status, 126, missing.stderr);
  const none = kubeletCli("exec", "hello", "--server", server);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /^error: you must specify at least one command/);
});

test("kubelet exec -i passes standard input; its end reaches the command", () => {
  const r = spawnSync(BINARY, ["exec", "hello", "--server", server, "-i", "--", "sh", "-c", "wc -l; cat"], {
    encoding: "utf8",
    timeout: 20_000,
    input: "one\ntwo\n",
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "2");
});

const hasScript = spawnSync("script", ["--version"]).status === 0;
test("kubelet exec gives the command a TTY when standard input is a terminal", { skip: !hasScript }, () => {
  // script(1) runs the CLI on a pseudo-terminal.
  const cmd = `${BINARY} exec hello --server ${server} -- sh -c 'tty; exit 5'`;
  const r = spawnSync("script", ["-qec", cmd, "/dev/null"], { encoding: "utf8", timeout: 20_000 });
  assert.equal(r.status, 5, r.stdout + r.stderr);
  // (script echoes what reaches the terminal before raw mode, such as a NUL, ahead of it.)
  assert.match(r.stdout, /\/dev\/pts\/\d+\r?\r?\n/);
});

test("kubelet version prints the version and exits 0", () => {
  const r = kubeletCli("version");
  assert.equal(r.status, 0);
  assert.match(
    r.stdout,
    /^standalone-kubelet \d+\.\d+\.\d+ \((commit [0-9a-f]{12}(-dirty)?, )?Kubernetes v\d+\.\d+\.\d+ kubelet behaviour\) bun \d+\.\d+\.\d+\S* \S+\n$/,
  );
});
