/**
 * Measures release binaries: size, `--version` wall and CPU time (median of
 * 10; CPU time, from GNU time, says more than wall time on a busy machine) and,
 * for binaries this machine runs natively, the time from spawn to `/healthz`
 * answering 200 (median of 10), and prints a Markdown table.
 *
 *   bun scripts/bench_release.ts [--port 10290] [--node bench-release] [--runs 10] BINARY[=RUNNER]...
 *
 * `RUNNER` is a command prefix, split on spaces, that starts the binary
 * (`qemu-aarch64-static`, or a musl loader with `--library-path DIR`); a
 * binary with a runner gets no `/healthz` measurement, since an emulator's
 * start-up says nothing about the binary's.
 *
 * A binary whose name ends in `-musl` runs with `LD_LIBRARY_PATH` set to
 * `$MUSL_LIBRARY_PATH` when that is set (a musl libstdc++ on a glibc host; see
 * scripts/release/musl_libstdcxx.sh).
 *
 * The kubelet started for `/healthz` watches an empty manifest directory
 * under a temporary root dir, so it creates no container.
 *
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

const args = process.argv.slice(2);
function flag(name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}
const port = Number(flag("port", "10290"));
const node = flag("node", "bench-release");
const runs = Number(flag("runs", "10"));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function envFor(binary: string): Record<string, string | undefined> {
  const musl = process.env.MUSL_LIBRARY_PATH;
  return binary.endsWith("-musl") && musl ? { ...process.env, LD_LIBRARY_PATH: musl } : process.env;
}

/** Wall and CPU (user + system, from GNU time, 10 ms steps) milliseconds of one `--version`. */
function versionMs(command: string[]): { wall: number; cpu: number } {
  const env = envFor(command[command.length - 1]);
  const start = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "cpu %U %S", ...command, "--version"], {
    encoding: "utf8",
    env,
  });
  const wall = performance.now() - start;
  if (r.status !== 0) throw new Error(`${command.join(" ")} --version: exit ${r.status}: ${r.stderr}`);
  const m = /^cpu ([\d.]+) ([\d.]+)$/m.exec(r.stderr);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN };
}

async function healthzMs(binary: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "bench-release-"));
  const proc = spawn(binary, [
    `--hostname-override=${node}`,
    `--read-only-port=${port}`,
    `--root-dir=${dir}/root`,
    `--pod-manifest-path=${dir}/manifests`,
  ], { stdio: "ignore", env: envFor(binary) });
  const start = performance.now();
  try {
    while (performance.now() - start < 20_000) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return performance.now() - start;
      } catch { /* not listening yet */ }
      await sleep(2);
    }
    throw new Error(`${binary}: /healthz not ok within 20 s`);
  } finally {
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Subject {
  binary: string;
  command: string[];
  emulated: boolean;
  version: number[];
  cpu: number[];
  healthz: number[];
}
const subjects: Subject[] = args.map((arg) => {
  const eq = arg.indexOf("=");
  const [binary, runner] = eq < 0 ? [arg, ""] : [arg.slice(0, eq), arg.slice(eq + 1)];
  const command = [...(runner ? runner.split(" ").filter(Boolean) : []), binary];
  versionMs(command); // warm the page cache
  return { binary, command, emulated: runner !== "", version: [], cpu: [], healthz: [] };
});
// Round robin, so that a change in the machine's load falls on every binary alike.
for (let i = 0; i < runs; i++) {
  for (const s of subjects) {
    const { wall, cpu } = versionMs(s.command);
    s.version.push(wall);
    s.cpu.push(cpu);
    if (!s.emulated) s.healthz.push(await healthzMs(s.binary));
  }
}

console.log(
  "| binary | size (MiB) | --version wall median (ms) | --version CPU median (ms) | start -> /healthz median (ms) |",
);
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const s of subjects) {
  const size = (statSync(s.binary).size / 2 ** 20).toFixed(1);
  const healthz = s.emulated ? "n/a (emulated)" : median(s.healthz).toFixed(0);
  const row = [
    s.binary.split("/").pop(),
    size,
    median(s.version).toFixed(0),
    median(s.cpu).toFixed(0),
    healthz,
  ];
  console.log(`| ${row.join(" | ")} |`);
}
