/**
 * Mutation testing of the pure core: applies one-line mutants to `src/`, one
 * at a time, runs the unit tests that cover the mutated file, and prints a
 * table: a mutant the tests fail on is killed, one they pass is a survivor (a
 * test is missing), one marked `equivalent` changes no behaviour (the reason
 * is printed).
 *
 *   deno run -A scripts/mutate.ts [--only ID,ID] [--list] [--check]
 *
 * `--check` runs no test: it only reports the mutants that are stale (after
 * a merge that moved or changed code, say).
 *
 * Each mutant's text must occur exactly once in its file; a mutant whose
 * text is gone (the code changed) is reported `stale`, to be updated. A file
 * (source or test) that is not at its path is looked for by its name under
 * `src/` (or `tests/`), so a module moved to another folder is still found
 * when its name is unique; the paths sit in the `SRC` and `TESTS` tables. The
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

/** Source files the mutants below change, by what they hold (one place to fix when a module moves). */
const SRC = {
  plan: "src/runtime/plan.ts",
  generate: "src/status/generate.ts",
  qos: "src/status/qos_class.ts",
  podRow: "src/status/pod_row.ts",
  validate: "src/manifest/validate.ts",
  validateDns: "src/manifest/validate_dns.ts",
  validateImage: "src/manifest/validate_image.ts",
  validateResources: "src/manifest/validate_resources.ts",
  validateRestricting: "src/manifest/validate_restricting.ts",
  validateSecurity: "src/manifest/validate_security.ts",
};
/** The unit tests that should kill the mutants of each kind of source. */
const TESTS = {
  generate: ["tests/status/generate_test.ts"],
  qos: ["tests/status/qos_class_test.ts", "tests/status/generate_test.ts"],
  podRow: ["tests/status/pod_row_test.ts"],
  validate: [
    "tests/manifest/validate_test.ts",
    "tests/manifest/validate_edges_test.ts",
    "tests/manifest/validate_dns_test.ts",
    "tests/manifest/validate_image_test.ts",
    "tests/manifest/validate_resources_test.ts",
    "tests/manifest/validate_restricting_test.ts",
    "tests/manifest/validate_security_test.ts",
  ],
};
const PLAN = ["tests/runtime/plan_test.ts"];
const MUTANTS: Mutant[] = [
  {
    id: "plan-onfailure",
    file: SRC.plan,
    find: `if (policy === "OnFailure") return c.exitCode !== 0;`,
    replace: `if (policy === "OnFailure") return c.exitCode === 0;`,
    tests: PLAN,
  },
  {
    id: "plan-sidecar-always",
    file: SRC.plan,
    find: `  if (spec?.restartPolicy === "Always") return true;\n`,
    replace: ``,
    tests: PLAN,
  },
  {
    id: "plan-infra-killed-in-backoff",
    file: SRC.plan,
    find: `actions.containersToStart.length === 0 && Object.keys(actions.backingOff).length === 0`,
    replace: `actions.containersToStart.length === 0`,
    tests: PLAN,
  },
  {
    id: "plan-created-skips-backoff",
    file: SRC.plan,
    find: `const wait = previous.state === "exited" || previous.state === "created"`,
    replace: `const wait = previous.state === "exited"`,
    tests: PLAN,
  },
  {
    id: "plan-liveness-onfailure",
    file: SRC.plan,
    find: `if (spec.restartPolicy === "Always" || (pod.spec.restartPolicy ?? "Always") !== "Never") {`,
    replace: `if (spec.restartPolicy === "Always" || (pod.spec.restartPolicy ?? "Always") === "Always") {`,
    tests: PLAN,
  },
  {
    id: "plan-sandbox-attempt",
    file: SRC.plan,
    find: `actions.attempt = sandbox ? sandbox.attempt + 1 : 0;`,
    replace: `actions.attempt = 0;`,
    tests: PLAN,
  },
  {
    id: "plan-no-gc",
    file: SRC.plan,
    find: `if (seenDead.has(key)) actions.containersToRemove.push(c.id);`,
    replace: ``,
    tests: PLAN,
  },
  {
    id: "plan-old-version-kept",
    file: SRC.plan,
    find: `killAll(containers.filter((c) => c.podUid !== uid), "pod changed", actions);`,
    replace: ``,
    tests: PLAN,
  },
  {
    id: "plan-init-exit-code",
    file: SRC.plan,
    find: `if (latest && latest.state === "exited" && latest.exitCode === 0 && !sidecar) continue;`,
    replace: `if (latest && latest.state === "exited" && !sidecar) continue;`,
    tests: PLAN,
  },
  {
    id: "plan-init-never",
    file: SRC.plan,
    find: `      return;\n    }\n    planStart(pod, spec, "init"`,
    replace: `    }\n    planStart(pod, spec, "init"`,
    tests: PLAN,
  },
  {
    id: "plan-removed-pod-volumes",
    file: SRC.plan,
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
    id: "file-stamp-racy",
    file: "src/config/file_source.ts",
    find: `if (nowMs - Math.max(info.mtimeMs, info.ctimeMs) < RACY_MS) return undefined;`,
    replace: ``,
    tests: ["tests/config/file_source_test.ts"],
  },
  {
    id: "file-stamp-no-ctime",
    file: "src/config/file_source.ts",
    find: "return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;",
    replace: "return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;",
    tests: ["tests/config/file_source_test.ts"],
  },
  {
    id: "housekeeping-lists-always",
    file: "src/kubelet/housekeeping.ts",
    find: `) return { removedDirs: [], removedVolumes: [] };
  const containers`,
    replace: `) void 0;
  const containers`,
    tests: ["tests/kubelet/housekeeping_test.ts"],
  },
  {
    id: "resync-lists-every-pod",
    file: "src/kubelet/kubelet.ts",
    find: `for (const key of this.#store.keys()) this.#dispatch(key, view);`,
    replace: `for (const key of this.#store.keys()) this.#dispatch(key);`,
    tests: ["tests/kubelet/kubelet_test.ts"],
  },
  {
    id: "relist-view-ignores-events",
    file: "src/kubelet/kubelet.ts",
    find: `(this.#podEventSeq.get(key) ?? 0) <= view.seq;`,
    replace: `true;`,
    tests: ["tests/kubelet/kubelet_test.ts"],
  },
  {
    id: "relist-view-ignores-stream",
    file: "src/kubelet/kubelet.ts",
    find: `return view !== undefined && view === this.#relistView && view.epoch === this.#streamEpoch &&`,
    replace: `return view !== undefined && view === this.#relistView &&`,
    tests: ["tests/kubelet/kubelet_test.ts"],
  },
  {
    id: "sync-own-changes-keep-view",
    file: "src/kubelet/kubelet.ts",
    find: `if (acted) this.#podEventSeq.set(key, ++this.#eventSeq);`,
    replace: ``,
    tests: ["tests/kubelet/kubelet_test.ts"],
  },
  {
    id: "start-turns-unlimited",
    file: "src/runtime/execute.ts",
    find: `return ctx.startTurn ? ctx.startTurn.run(call) : call();`,
    replace: `return call();`,
    tests: ["tests/kubelet/kubelet_test.ts"],
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
    file: SRC.generate,
    find: `    if (policy === "Never") return "Failed";\n`,
    replace: ``,
    tests: TESTS.generate,
  },
  {
    id: "phase-succeeded",
    file: SRC.generate,
    find: `if (stopped === succeeded) return "Succeeded";`,
    replace: `if (stopped > 0) return "Succeeded";`,
    tests: TESTS.generate,
  },
  {
    id: "phase-waiting-pending",
    file: SRC.generate,
    find: `  if (waiting > 0) return "Pending";\n`,
    replace: ``,
    tests: TESTS.generate,
  },
  // Validation: each of these would refuse a good pod or accept one the API server refuses.
  {
    id: "validate-onfailure-refused",
    file: SRC.validate,
    find: `const RESTART_POLICIES = ["Always", "OnFailure", "Never"];`,
    replace: `const RESTART_POLICIES = ["Always", "Never"];`,
    tests: TESTS.validate,
  },
  {
    id: "validate-container-port-65536",
    file: SRC.validate,
    find: `: int(port.containerPort, \`\${at}.containerPort\`, 1, 65535, errs);`,
    replace: `: int(port.containerPort, \`\${at}.containerPort\`, 1, 65536, errs);`,
    tests: TESTS.validate,
  },
  {
    id: "validate-hostport-match-without-hostnetwork",
    file: SRC.validate,
    find:
      `if (hostNetwork && hostPort !== undefined && containerPort !== undefined && hostPort !== containerPort) {`,
    replace: `if (hostPort !== undefined && containerPort !== undefined && hostPort !== containerPort) {`,
    tests: TESTS.validate,
  },
  {
    id: "validate-subpath-inner-dotdot",
    file: SRC.validate,
    find: `if (subPath?.split("/").includes("..")) {`,
    replace: `if (subPath?.startsWith("..")) {`,
    tests: TESTS.validate,
  },
  {
    id: "validate-mount-path-twice",
    file: SRC.validate,
    find: `      mountPaths.add(mountPath);\n`,
    replace: ``,
    tests: TESTS.validate,
  },
  {
    id: "validate-startup-success-threshold",
    file: SRC.validate,
    find: `kind !== "readinessProbe" && typeof probe.successThreshold === "number"`,
    replace: `kind === "livenessProbe" && typeof probe.successThreshold === "number"`,
    tests: TESTS.validate,
  },
  {
    id: "validate-grace-zero-refused",
    file: SRC.validate,
    find: `"spec.terminationGracePeriodSeconds", 0, Infinity, errs);`,
    replace: `"spec.terminationGracePeriodSeconds", 1, Infinity, errs);`,
    tests: TESTS.validate,
  },
  {
    id: "validate-sidecar-onfailure",
    file: SRC.validate,
    find: `if (init) oneOf(container.restartPolicy, \`\${path}.restartPolicy\`, ["Always"], errs);`,
    replace:
      `if (init) oneOf(container.restartPolicy, \`\${path}.restartPolicy\`, ["Always", "OnFailure"], errs);`,
    tests: TESTS.validate,
  },
  {
    id: "validate-hostpid-alone",
    file: SRC.validateSecurity,
    find: `if (hostPID && share) {`,
    replace: `if (hostPID || share) {`,
    tests: TESTS.validate,
  },
  {
    id: "validate-net-sysctl-hostipc",
    file: SRC.validateSecurity,
    find: `} else if (ns === "net" && hostNetwork) {`,
    replace: `} else if (ns === "net" && hostIPC) {`,
    tests: TESTS.validate,
  },
  {
    id: "validate-privileged-unset-escalation",
    file: SRC.validateSecurity,
    find: `if (escalation === false && privileged) {`,
    replace: `if (!escalation && privileged) {`,
    tests: TESTS.validate,
  },
  {
    id: "validate-seccomp-dotdot",
    file: SRC.validateSecurity,
    find: `else if (local.startsWith("/") || local.split("/").includes("..")) {`,
    replace: `else if (local.startsWith("/")) {`,
    tests: TESTS.validate,
  },
  {
    id: "validate-three-nameservers",
    file: SRC.validateDns,
    find: `if (nameservers.length > MAX_DNS_NAMESERVERS) {`,
    replace: `if (nameservers.length >= MAX_DNS_NAMESERVERS) {`,
    tests: TESTS.validate,
  },
  {
    id: "validate-zero-quantity-refused",
    file: SRC.validateResources,
    find: `if (value < 0) errs.push(invalid(key, raw, "must be greater than or equal to 0"));`,
    replace: `if (value <= 0) errs.push(invalid(key, raw, "must be greater than or equal to 0"));`,
    tests: TESTS.validate,
  },
  {
    id: "validate-cpu-divisor-1m",
    file: SRC.validateResources,
    find: `const CPU_DIVISORS = ["1m", "1"];`,
    replace: `const CPU_DIVISORS = ["1"];`,
    tests: TESTS.validate,
  },
  {
    id: "validate-image-name-length",
    file: SRC.validateImage,
    find: `return m !== null && m[1].length <= NAME_MAX;`,
    replace: `return m !== null;`,
    tests: TESTS.validate,
  },
  {
    id: "validate-host-users-true",
    file: SRC.validateRestricting,
    find: `if (spec.hostUsers === false)`,
    replace: `if (spec.hostUsers === true)`,
    tests: TESTS.validate,
  },
  // Status generation: what /pods, kubectl and the node page show.
  {
    id: "status-unprobed-not-ready",
    file: SRC.generate,
    find: `ready: input.ready?.(latest.id) ?? true,`,
    replace: `ready: input.ready?.(latest.id) ?? false,`,
    tests: TESTS.generate,
  },
  {
    id: "status-failed-create-waiting",
    file: SRC.generate,
    find: `if (latest.state === "created" && !latest.error) {`,
    replace: `if (latest.state === "created") {`,
    tests: TESTS.generate,
  },
  {
    id: "status-cannot-run-exit-0",
    file: SRC.generate,
    find: `exitCode: created ? (c.exitCode || 128) : c.exitCode ?? 0,`,
    replace: `exitCode: c.exitCode ?? 0,`,
    tests: TESTS.generate,
  },
  {
    id: "status-oomkilled-error",
    file: SRC.generate,
    find: `? "OOMKilled"`,
    replace: `? "Error"`,
    tests: TESTS.generate,
  },
  {
    id: "status-failed-init-never-pending",
    file: SRC.generate,
    find: `if (policy === "Never" && s.state.terminated) return "Failed";`,
    replace: ``,
    tests: TESTS.generate,
  },
  {
    id: "status-sidecar-blocks-phase",
    file: SRC.generate,
    find: `    if (sidecar) continue;\n`,
    replace: ``,
    tests: TESTS.generate,
  },
  {
    id: "status-hostnetwork-no-host-ip",
    file: SRC.generate,
    find: `const hostNetwork = pod.spec.hostNetwork === true;`,
    replace: `const hostNetwork = false;`,
    tests: TESTS.generate,
  },
  {
    id: "status-transition-time-reset",
    file: SRC.generate,
    find:
      `const at = before && before.status === status ? before.lastTransitionTime : input.now.toISOString();`,
    replace: `const at = input.now.toISOString();`,
    tests: TESTS.generate,
  },
  {
    id: "status-succeeded-not-initialized",
    file: SRC.generate,
    find: `const initialized = incomplete.length === 0 || phase === "Succeeded";`,
    replace: `const initialized = incomplete.length === 0;`,
    tests: TESTS.generate,
  },
  {
    id: "status-no-pod-initializing",
    file: SRC.generate,
    find: `const appInput = incomplete.length ? { ...input, notCreated: "PodInitializing" } : input;`,
    replace: `const appInput = input;`,
    tests: TESTS.generate,
  },
  {
    id: "qos-zero-counts",
    file: SRC.qos,
    find: `return v > 0 ? v : undefined;`,
    replace: `return v;`,
    tests: TESTS.qos,
  },
  {
    id: "qos-request-defaults-to-limit",
    file: SRC.qos,
    find: `else if (request !== undefined && request !== limit) guaranteed = false;`,
    replace: `else if (request !== limit) guaranteed = false;`,
    tests: TESTS.qos,
  },
  {
    id: "qos-init-ignored",
    file: SRC.qos,
    find: `const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];`,
    replace: `const containers = pod.spec.containers;`,
    tests: TESTS.qos,
  },
  {
    id: "pod-row-sidecar-not-counted",
    file: SRC.podRow,
    find: `for (const c of initSpecs.values()) if (isSidecar(c)) total++;`,
    replace: ``,
    tests: TESTS.podRow,
  },
  {
    id: "pod-row-completed-unready",
    file: SRC.podRow,
    find: `reason = podReady ? "Running" : "NotReady";`,
    replace: `reason = "Running";`,
    tests: TESTS.podRow,
  },
  {
    id: "pod-row-init-index",
    file: SRC.podRow,
    find: `} else reason = \`Init:\${i}/\${initSpecs.size}\`;`,
    replace: `} else reason = \`Init:\${i + 1}/\${initSpecs.size}\`;`,
    tests: TESTS.podRow,
  },
  {
    id: "pod-row-age-minutes",
    file: SRC.podRow,
    find: `if (seconds < 120) return \`\${seconds}s\`;`,
    replace: `if (seconds < 60) return \`\${seconds}s\`;`,
    tests: TESTS.podRow,
  },
  // The planner, beyond the first table.
  {
    id: "plan-new-spec-keeps-backoff",
    file: SRC.plan,
    find: `restartCount: c.restartCount + 1,\n      backoffSeconds: 0,`,
    replace: `restartCount: c.restartCount + 1,\n      backoffSeconds: nextBackoffSeconds(c, ctx.now),`,
    tests: PLAN,
  },
  {
    id: "plan-never-sandbox-recreated",
    file: SRC.plan,
    find: `if ((pod.spec.restartPolicy ?? "Always") === "Never" && sandbox && mine.length > 0) {`,
    replace: `if ((pod.spec.restartPolicy ?? "Always") === "OnFailure" && sandbox && mine.length > 0) {`,
    tests: PLAN,
  },
  {
    id: "plan-sidecar-backoff-not-blocking",
    file: SRC.plan,
    find: `if (!sidecar || actions.backingOff[spec.name]) return;`,
    replace: `if (!sidecar) return;`,
    tests: PLAN,
  },
  {
    id: "plan-created-not-removed",
    file: SRC.plan,
    find: `if (previous.state === "created") actions.containersToRemove.push(previous.id);`,
    replace: ``,
    tests: PLAN,
  },
  {
    id: "plan-resync-last-not-earliest",
    file: SRC.plan,
    find: `actions.resyncAfterMs = Math.min(actions.resyncAfterMs ?? Infinity, wait);`,
    replace: `actions.resyncAfterMs = wait;`,
    tests: PLAN,
  },
  {
    id: "plan-sandbox-in-use-removed",
    file: SRC.plan,
    find: `if (!alive(s) && !inUse.has(s.id)) actions.containersToRemove.push(s.id);`,
    replace: `if (!alive(s)) actions.containersToRemove.push(s.id);`,
    tests: PLAN,
  },
  {
    id: "plan-older-sandbox-outlives",
    file: SRC.plan,
    find: `if (liveSandboxes.length > 1 || (liveSandboxes.length === 1 && !alive(sandbox))) {`,
    replace: `if (liveSandboxes.length > 1) {`,
    tests: PLAN,
  },
  {
    id: "plan-init-created-never-started",
    file: SRC.plan,
    find:
      `latest && latest.state !== "created" && !sidecar && (pod.spec.restartPolicy ?? "Always") === "Never"`,
    replace: `latest && !sidecar && (pod.spec.restartPolicy ?? "Always") === "Never"`,
    tests: PLAN,
  },
  {
    id: "plan-liveness-ignored",
    file: SRC.plan,
    find: `} else if (ctx.unhealthy?.has(c.id)) {`,
    replace: `} else if (ctx.unhealthy?.has(c.name)) {`,
    tests: PLAN,
  },
  {
    id: "plan-default-policy-never",
    file: SRC.plan,
    find: `  const policy = pod.spec.restartPolicy ?? "Always";\n  if (policy === "Always") return true;`,
    replace: `  const policy = pod.spec.restartPolicy ?? "Never";\n  if (policy === "Always") return true;`,
    tests: PLAN,
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

/** Every file git knows under `src/` and `tests/`, for finding a moved one by its name. */
const known = (await exec("git", ["ls-files", "src", "tests"], { cwd: ROOT, maxBuffer: 64 << 20 })).stdout
  .split("\n").filter(Boolean);

/** `file` itself when it is there, else the one file of that name under the same top folder. */
function locate(file: string): string {
  if (known.includes(file)) return file;
  const [top] = file.split("/");
  const name = file.slice(file.lastIndexOf("/"));
  const found = known.filter((k) => k.startsWith(`${top}/`) && k.endsWith(name));
  return found.length === 1 ? found[0] : file;
}

type Outcome = "killed" | "survived" | "equivalent" | "stale";
const results: { m: Mutant; outcome: Outcome; seconds: number }[] = [];
for (const m of MUTANTS.filter((m) => !only || only.has(m.id))) {
  const file = locate(m.file);
  const path = `${ROOT}${file}`;
  const original = await readFile(path, "utf8");
  const count = original.split(m.find).length - 1;
  if (count !== 1) {
    results.push({ m, outcome: "stale", seconds: 0 });
    console.error(`${m.id}: stale (its text occurs ${count} times in ${file})`);
    continue;
  }
  if (args.includes("--check")) continue;
  const t0 = performance.now();
  restore = () => writeFile(path, original);
  let outcome: Outcome;
  try {
    await writeFile(path, original.replace(m.find, m.replace));
    // The deno running this script (it need not be on PATH); a test run that cannot start is an error, not a kill.
    const passed = await exec(process.execPath, [
      "test",
      "-A",
      "--no-check",
      ...m.tests.map((t) => `${ROOT}${locate(t)}`),
    ], {
      cwd: ROOT,
      maxBuffer: 64 << 20,
      timeout: 300_000,
    }).then(() => true, (error) => {
      if ((error as { code?: unknown }).code === "ENOENT") throw error;
      return false;
    });
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
  console.log(`| ${m.id} | ${locate(m.file)} | ${outcome}${m.equivalent ? ` (${m.equivalent})` : ""} |`);
}
console.log(
  `\nkilled ${count("killed")} of ${judged} non-equivalent mutants (${
    judged ? ((100 * count("killed")) / judged).toFixed(0) : "-"
  } %); ${count("equivalent")} equivalent, ${count("stale")} stale`,
);
process.exitCode = count("survived") || count("stale") ? 1 : 0;
