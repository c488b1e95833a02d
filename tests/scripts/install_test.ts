/**
 * scripts/install.sh under a temporary --root: what it writes, that the unit
 * passes `systemd-analyze verify`, and that --uninstall removes exactly what
 * the install added.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const script = new URL("../../scripts/install.sh", import.meta.url).pathname;
const UNIT = "etc/systemd/system/standalone-kubelet.service";

function install(...args: string[]) {
  const r = spawnSync("bash", [script, ...args], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** Every path under `dir`, relative, sorted; directories end in `/`. */
function tree(dir: string, base = ""): string[] {
  return readdirSync(join(dir, base), { withFileTypes: true }).flatMap((e) => {
    const rel = base ? `${base}/${e.name}` : e.name;
    return e.isDirectory() ? [`${rel}/`, ...tree(dir, rel)] : [rel];
  }).sort();
}

function fixture(): { root: string; binary: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "install-test-"));
  const root = join(dir, "root");
  mkdirSync(root);
  const binary = join(dir, "kubelet");
  writeFileSync(binary, "#!/bin/sh\necho 'standalone-kubelet 9.9.9 (test stand-in)'\n", { mode: 0o755 });
  return { root, binary, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test("install.sh writes the binary, a unit that restarts after docker, and the manifest directory", () => {
  const { root, binary, cleanup } = fixture();
  try {
    const r = install("--root", root, binary);
    assert.equal(r.status, 0, r.out);
    assert.ok((statSync(join(root, "usr/local/bin/standalone-kubelet")).mode & 0o777) === 0o755);
    assert.ok(statSync(join(root, "etc/kubernetes/manifests")).isDirectory());
    const unit = readFileSync(join(root, UNIT), "utf8");
    for (
      const line of [
        "After=docker.service",
        "Requires=docker.service",
        "Restart=always",
        "ExecStart=/usr/local/bin/standalone-kubelet --pod-manifest-path=/etc/kubernetes/manifests $KUBELET_EXTRA_ARGS",
        "WantedBy=multi-user.target",
      ]
    ) assert.ok(unit.split("\n").includes(line), `unit lacks ${line}:\n${unit}`);
  } finally {
    cleanup();
  }
});

test("install.sh honours --prefix and refuses to install twice", () => {
  const { root, binary, cleanup } = fixture();
  try {
    assert.equal(install("--root", root, "--prefix", "/opt/sk", binary).status, 0);
    assert.ok(existsSync(join(root, "opt/sk/bin/standalone-kubelet")));
    assert.match(readFileSync(join(root, UNIT), "utf8"), /^ExecStart=\/opt\/sk\/bin\/standalone-kubelet /m);
    const again = install("--root", root, "--prefix", "/opt/sk", binary);
    assert.equal(again.status, 1);
    assert.match(again.out, /already installed/);
  } finally {
    cleanup();
  }
});

test("install.sh --uninstall removes what it installed and keeps what was there before or added since", () => {
  const { root, binary, cleanup } = fixture();
  try {
    mkdirSync(join(root, "etc/kubernetes"), { recursive: true });
    writeFileSync(join(root, "etc/kubernetes/admin.conf"), "mine");
    mkdirSync(join(root, "usr/local/bin"), { recursive: true });
    writeFileSync(join(root, "usr/local/bin/other"), "mine");
    const before = tree(root);
    assert.equal(install("--root", root, binary).status, 0);
    writeFileSync(join(root, "etc/kubernetes/manifests/web.yaml"), "kind: Pod\n");
    const r = install("--root", root, "--uninstall");
    assert.equal(r.status, 0, r.out);
    // The manifest directory was created by the install but now holds the user's pod: kept.
    assert.deepEqual(
      tree(root),
      [...before, "etc/kubernetes/manifests/", "etc/kubernetes/manifests/web.yaml"].sort(),
    );
    rmSync(join(root, "etc/kubernetes/manifests"), { recursive: true });
    assert.deepEqual(tree(root), before);
    assert.match(install("--root", root, "--uninstall").out, /nothing to uninstall/);
  } finally {
    cleanup();
  }
});

test("install.sh refuses a binary that does not run", () => {
  const { root, binary, cleanup } = fixture();
  try {
    writeFileSync(binary, "#!/bin/sh\nexit 3\n", { mode: 0o755 });
    const r = install("--root", root, binary);
    assert.equal(r.status, 1);
    assert.match(r.out, /--version failed/);
    assert.deepEqual(tree(root), []);
  } finally {
    cleanup();
  }
});

const analyze = spawnSync("systemd-analyze", ["--version"]).status === 0;
const systemUnits = "/usr/lib/systemd/system";

test(
  "the installed unit passes systemd-analyze verify",
  { skip: !analyze && "systemd-analyze missing" },
  () => {
    const { root, binary, cleanup } = fixture();
    try {
      assert.equal(install("--root", root, binary).status, 0);
      // verify resolves docker.service and the default targets inside --root: give it the host's units.
      cpSync(systemUnits, join(root, systemUnits), { recursive: true });
      if (!existsSync(join(root, systemUnits, "docker.service"))) {
        writeFileSync(
          join(root, systemUnits, "docker.service"),
          "[Service]\nExecStart=/usr/local/bin/standalone-kubelet\n",
        );
      }
      const r = spawnSync("systemd-analyze", ["verify", `--root=${root}`, `/${UNIT}`], { encoding: "utf8" });
      // verify exits 0 on some bad values and only warns: any output is a finding.
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout + r.stderr, "");
    } finally {
      cleanup();
    }
  },
);
