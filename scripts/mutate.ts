/**
 * Mutation testing of the pure core: applies one-line mutants to `src/`, one
 * at a time, runs the unit tests that cover the mutated file, and prints a
 * table: a mutant the tests fail on is killed, one they pass is a survivor (a
 * test is missing), one marked `equivalent` changes no behaviour (the reason
 * is printed).
 *
 *   deno run -A scripts/mutate.ts [--only ID,ID] [--list]
 *
 * Each mutant's text must occur exactly once in its file; a mutant whose
 * text is gone (the code changed) is reported `stale`, to be updated. The
 * file is always restored, also on Ctrl-C. Runs `deno test --no-check`, so
 * a mutant is judged by behaviour, not by the type checker.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import process from "node:process";

const exec = promisify(execFile);
const ROOT = new URL("..", import.meta.url).pathname;

interface Mutant {
  id: string;
  file: string;
  find: string;
  replace: string;
  /** Unit test files (under tests/) that should kill it. */
  tests: string[];
  /** Why the mutant changes no behaviour, when it does not. */
  equivalent?: string;
}

const PLAN = ["tests/runtime/plan_test.ts"];
const MUTANTS: Mutant[] = [
  {
    id: "plan-onfailure",
    file: "src/runtime/plan.ts",
    find: `if (policy === "OnFailure") return c.exitCode !== 0;`,
    replace: `if (policy === "OnFailure") return c.exitCode === 0;`,
    tests: PLAN,
  },
  {
    id: "plan-sidecar-always",
    file: "src/runtime/plan.ts",
    find: `  if (spec?.restartPolicy === "Always") return true;\n`,
    replace: ``,
    tests: PLAN,
  },
  {
    id: "plan-infra-killed-in-backoff",
    file: "src/runtime/plan.ts",
    find: `actions.containersToStart.length === 0 && Object.keys(actions.backingOff).length === 0`,
    replace: `actions.containersToStart.length === 0`,
    tests: PLAN,
  },
  {
    id: "plan-created-skips-backoff",
    file: "src/runtime/plan.ts",
    find: `const wait = previous.state === "exited" || previous.state === "created"`,
    replace: `const wait = previous.state === "exited"`,
    tests: PLAN,
  },
  {
    id: "plan-liveness-onfailure",
    file: "src/runtime/plan.ts",
    find: `if (spec.restartPolicy === "Always" || (pod.spec.restartPolicy ?? "Always") !== "Never") {`,
    replace: `if (spec.restartPolicy === "Always" || (pod.spec.restartPolicy ?? "Always") === "Always") {`,
    tests: PLAN,
  },
  {
    id: "plan-sandbox-attempt",
    file: "src/runtime/plan.ts",
    find: `actions.attempt = sandbox ? sandbox.attempt + 1 : 0;`,
    replace: `actions.attempt = 0;`,
    tests: PLAN,
  },
  {
    id: "plan-no-gc",
    file: "src/runtime/plan.ts",
    find: `if (seenDead.has(key)) actions.containersToRemove.push(c.id);`,
    replace: ``,
    tests: PLAN,
  },
  {
    id: "plan-old-version-kept",
    file: "src/runtime/plan.ts",
    find: `killAll(containers.filter((c) => c.podUid !== uid), "pod changed", actions);`,
    replace: ``,
    tests: PLAN,
  },
  {
    id: "plan-init-exit-code",
    file: "src/runtime/plan.ts",
    find: `if (latest && latest.state === "exited" && latest.exitCode === 0 && !sidecar) continue;`,
    replace: `if (latest && latest.state === "exited" && !sidecar) continue;`,
    tests: PLAN,
  },
  {
    id: "plan-init-never",
    file: "src/runtime/plan.ts",
    find: `if (latest && !sidecar && (pod.spec.restartPolicy ?? "Always") === "Never") return;`,
    replace: ``,
    tests: PLAN,
  },
  {
    id: "plan-removed-pod-volumes",
    file: "src/runtime/plan.ts",
    find: `    actions.cleanupVolumes = true;\n`,
    replace: ``,
    tests: PLAN,
  },
  {
    id: "backoff-cap",
    file: "src/runtime/backoff.ts",
    find: `return Math.min(MAX_BACKOFF_SECONDS, Math.max(INITIAL_BACKOFF_SECONDS, c.backoffSeconds * 2));`,
    replace: `return Math.max(INITIAL_BACKOFF_SECONDS, c.backoffSeconds * 2);`,
    tests: ["tests/runtime/backoff_test.ts", ...PLAN],
  },
  {
    id: "backoff-reset",
    file: "src/runtime/backoff.ts",
    find: `  if (ranFor(c) >= BACKOFF_RESET_MS) return 0;\n`,
    replace: ``,
    tests: ["tests/runtime/backoff_test.ts", ...PLAN],
  },
  {
    id: "workers-backoff-cap",
    file: "src/kubelet/pod_workers.ts",
    find: `Math.min(ERROR_BACKOFF_MS * 2 ** (count - 1), MAX_ERROR_BACKOFF_MS)`,
    replace: `ERROR_BACKOFF_MS * 2 ** (count - 1)`,
    tests: ["tests/kubelet/pod_workers_test.ts"],
  },
  {
    id: "workers-oldest-update",
    file: "src/kubelet/pod_workers.ts",
    find: `    this.#pending.set(update.key, update);\n`,
    replace: `    if (!this.#pending.has(update.key)) this.#pending.set(update.key, update);\n`,
    tests: ["tests/kubelet/pod_workers_test.ts"],
  },
  {
    id: "workers-serial",
    file: "src/kubelet/pod_workers.ts",
    find: `if (!this.#running.has(update.key)) this.#run(update.key);`,
    replace: `if (this.#running.size === 0) this.#run(update.key);`,
    tests: ["tests/kubelet/pod_workers_test.ts"],
  },
  {
    id: "pleg-missed-exit",
    file: "src/kubelet/pleg.ts",
    find: `return before === "running" ? "ContainerDied" : "ContainerRemoved";`,
    replace: `return "ContainerRemoved";`,
    tests: ["tests/kubelet/pleg_test.ts"],
  },
  {
    id: "settle-first-read",
    file: "src/config/settled_files.ts",
    find: `this.#applied.get(file) === text || this.#candidate.get(file) === text`,
    replace: `true`,
    tests: ["tests/config/settled_files_test.ts", "tests/config/file_source_loop_test.ts"],
  },
  {
    id: "merge-broken-edit-kept",
    file: "src/config/merge.ts",
    find: `if (!next.has(key) && failed.has(old.origin)) next.set(key, old);`,
    replace: ``,
    tests: ["tests/config/merge_test.ts"],
  },
  {
    id: "merge-first-wins",
    file: "src/config/merge.ts",
    find: `const holder = next.get(key)?.origin ?? otherHolder(state, snapshot.source, key);`,
    replace: `const holder = otherHolder(state, snapshot.source, key);`,
    tests: ["tests/config/merge_test.ts"],
  },
  {
    id: "requests-equal-limits",
    file: "src/manifest/validate_resources.ts",
    find: `if (limit !== undefined && request > limit) {`,
    replace: `if (limit !== undefined && request >= limit) {`,
    tests: ["tests/manifest/validate_resources_test.ts", "tests/manifest/validate_test.ts"],
  },
  {
    id: "phase-never-failed",
    file: "src/status/generate.ts",
    find: `    if (policy === "Never") return "Failed";\n`,
    replace: ``,
    tests: ["tests/status/generate_test.ts"],
  },
  {
    id: "phase-succeeded",
    file: "src/status/generate.ts",
    find: `if (stopped === succeeded) return "Succeeded";`,
    replace: `if (stopped > 0) return "Succeeded";`,
    tests: ["tests/status/generate_test.ts"],
  },
  {
    id: "phase-waiting-pending",
    file: "src/status/generate.ts",
    find: `  if (waiting > 0) return "Pending";\n`,
    replace: ``,
    tests: ["tests/status/generate_test.ts"],
  },
];

const args = process.argv.slice(2);
const only = args.includes("--only") ? new Set(args[args.indexOf("--only") + 1].split(",")) : undefined;
if (args.includes("--list")) {
  for (const m of MUTANTS) console.log(`${m.id}\t${m.file}`);
  process.exit(0);
}

let restore: (() => Promise<void>) | undefined;
process.on("SIGINT", async () => {
  await restore?.();
  process.exit(130);
});

type Outcome = "killed" | "survived" | "equivalent" | "stale";
const results: { m: Mutant; outcome: Outcome; seconds: number }[] = [];
for (const m of MUTANTS.filter((m) => !only || only.has(m.id))) {
  const path = `${ROOT}${m.file}`;
  const original = await readFile(path, "utf8");
  const count = original.split(m.find).length - 1;
  if (count !== 1) {
    results.push({ m, outcome: "stale", seconds: 0 });
    console.error(`${m.id}: stale (its text occurs ${count} times in ${m.file})`);
    continue;
  }
  const t0 = performance.now();
  restore = () => writeFile(path, original);
  let outcome: Outcome;
  try {
    await writeFile(path, original.replace(m.find, m.replace));
    const passed = await exec("deno", ["test", "-A", "--no-check", ...m.tests.map((t) => `${ROOT}${t}`)], {
      cwd: ROOT,
      maxBuffer: 64 << 20,
      timeout: 300_000,
    }).then(() => true, () => false);
    outcome = passed ? (m.equivalent ? "equivalent" : "survived") : "killed";
  } finally {
    await restore();
    restore = undefined;
  }
  const seconds = (performance.now() - t0) / 1000;
  results.push({ m, outcome, seconds });
  console.error(`${m.id}: ${outcome} (${seconds.toFixed(1)} s)`);
}

const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
const judged = count("killed") + count("survived");
console.log("| mutant | file | outcome |");
console.log("| --- | --- | --- |");
for (const { m, outcome } of results) {
  console.log(`| ${m.id} | ${m.file} | ${outcome}${m.equivalent ? ` (${m.equivalent})` : ""} |`);
}
console.log(
  `\nkilled ${count("killed")} of ${judged} non-equivalent mutants (${
    judged ? ((100 * count("killed")) / judged).toFixed(0) : "-"
  } %); ${count("equivalent")} equivalent, ${count("stale")} stale`,
);
process.exitCode = count("survived") || count("stale") ? 1 : 0;
