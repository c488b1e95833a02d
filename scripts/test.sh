#!/usr/bin/env bash
# The whole test suite, as CI (.ci/run) runs it:
#   1. scripts/setup.sh (node_modules, a Docker Engine, the test images);
#   2. deno fmt --check, deno lint and deno check of every source, test and script file, and
#      scripts/import_graph.ts (no import up the layering, no import cycle) (seconds, before the
#      long tests; tests/testdata/ holds kubeadm's own files and is not formatted);
#      then npm run build (dist/kubelet, which the end-to-end tests drive);
#   3. deno test -A tests/            every test, end-to-end ones included;
#   4. bun test <files not under tests/e2e/>   the unit tests again, under Bun;
#   5. the Podman pass: the walkthrough, a lifecycle subset, adoption after a kubelet restart,
#      the status API and tests/e2e/podman_test.ts (skipped on Docker) once more, against Podman's
#      Docker-compatible service (E2E_DOCKER_ENDPOINT; scripts/setup.sh starts it with
#      SETUP_PODMAN=1). About four minutes.
#   6. last, on its own: tests/e2e/docker_restart_test.ts with E2E_DOCKERD_RESTART=1 (it stops this
#      machine's dockerd, by the id in /var/run/docker.pid, and starts it again; every other run,
#      step 3's included, skips it).
# Exits non-zero when any step fails, and ends with one line "N passed, N failed": the tests of
# every run, counted from their JUnit reports.
#
# Environment:
#   TEST_SKIP_SETUP=1   skip step 1 (the machine is known to be ready)
#   BUN_TEST_TIMEOUT    per-test timeout for bun in ms (default 120000; bun's own is 5000)
#   TEST_PODMAN=0       skip step 5 (and setting up Podman)
#   PODMAN_SOCKET       the Podman service's socket (default /run/standalone-kubelet-podman.sock)
#   and what scripts/setup.sh honours (DOCKER_HOST, ...).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

log() { echo "test: $*"; }

if [[ ${TEST_SKIP_SETUP:-} != 1 ]]; then
  DOCKERD_OFFLINE=1 SETUP_PODMAN=${TEST_PODMAN:-1} bash scripts/setup.sh ||
    { log "scripts/setup.sh failed; no test was run"; exit 1; }
fi

status=0
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT

# Static checks first: they take seconds and name what is wrong before the long tests run.
static_failed=0
log "deno fmt --check"
deno fmt --check || { log "FAILED: deno fmt --check (run deno fmt)"; static_failed=$((static_failed + 1)); }
log "deno lint"
deno lint || { log "FAILED: deno lint"; static_failed=$((static_failed + 1)); }
log "deno check"
mapfile -t checked < <(find mod.ts src tests scripts -name '*.ts' -not -path 'tests/testdata/*' | sort)
deno check "${checked[@]}" || { log "FAILED: deno check"; static_failed=$((static_failed + 1)); }
log "import graph (scripts/import_graph.ts: no back arrow, no cycle)"
deno run --allow-read scripts/import_graph.ts >/dev/null ||
  { deno run --allow-read scripts/import_graph.ts | sed -n '/^back arrows/,$p'; log "FAILED: import graph"; static_failed=$((static_failed + 1)); }
((static_failed == 0)) || status=1

if [[ -f src/main.ts ]]; then
  log "npm run build"
  if ! npm run build; then
    log "FAILED: npm run build (end-to-end tests will fail without dist/kubelet)"
    status=1
  fi
else
  log "no src/main.ts yet: skipping npm run build"
fi

# Test files as both runners name them; sorted so runs are reproducible.
mapfile -t all_tests < <(find tests -type f -regex '.*[._]test\.\(ts\|tsx\|mts\|js\|mjs\)' 2>/dev/null | sort)
unit_tests=()
for file in "${all_tests[@]}"; do
  [[ $file == tests/e2e/* ]] || unit_tests+=("./$file")
done

declare -A runner_rc=()
if ((${#all_tests[@]})); then
  log "deno test -A tests/ (${#all_tests[@]} files)"
  rc=0
  deno test -A --junit-path="$reports/deno.xml" tests/ || rc=$?
  runner_rc[deno]=$rc
else
  log "no test files under tests/"
fi
if ((${#unit_tests[@]})); then
  log "bun test (${#unit_tests[@]} files, tests/e2e/ excluded)"
  rc=0
  bun test --timeout "${BUN_TEST_TIMEOUT:-120000}" --reporter=junit --reporter-outfile="$reports/bun.xml" \
    "${unit_tests[@]}" || rc=$?
  runner_rc[bun]=$rc
fi

# The Podman pass: the same test files, against Podman's socket; only the tests this regex names.
podman_files=(tests/e2e/walkthrough_test.ts tests/e2e/lifecycle_test.ts tests/e2e/kubelet_restart_test.ts
  tests/e2e/status_api_test.ts tests/e2e/podman_test.ts)
podman_filter='/^(walkthrough \(binary\)|a failing liveness probe|an init container that fails twice|postStart runs after|a stopped kubelet exits 0|status server: |on Podman: )/'
podman_endpoint="unix://${PODMAN_SOCKET:-/run/standalone-kubelet-podman.sock}"
if [[ ${TEST_PODMAN:-1} == 0 ]]; then
  log "Podman pass skipped (TEST_PODMAN=0)"
elif ! docker -H "$podman_endpoint" version >/dev/null 2>&1; then
  log "FAILED: no Podman service answers on $podman_endpoint (SETUP_PODMAN=1 bash scripts/setup.sh starts one; TEST_PODMAN=0 skips this pass)"
  runner_rc[podman]=1
else
  log "deno test against Podman ($podman_endpoint): ${podman_files[*]}"
  rc=0
  E2E_DOCKER_ENDPOINT="$podman_endpoint" \
    deno test -A --junit-path="$reports/podman.xml" --filter "$podman_filter" "${podman_files[@]}" || rc=$?
  runner_rc[podman]=$rc
fi

# Last, as it takes the Engine away for a while: the dockerd restart, opted in here only.
log "deno test tests/e2e/docker_restart_test.ts (E2E_DOCKERD_RESTART=1: restarts dockerd)"
rc=0
E2E_DOCKERD_RESTART=1 deno test -A --junit-path="$reports/dockerd.xml" tests/e2e/docker_restart_test.ts || rc=$?
runner_rc[dockerd]=$rc

# Counts one JUnit report: prints "PASSED FAILED", and writes each failed test's name with the
# first lines of its failure to the file in $2 (CI keeps only the end of the output, so the
# names are printed again last). Deno reports a test with steps (t.test,
# describe/it) as a test case plus one per step, named "parent > step": count only the cases
# that have no steps, and a parent that failed with no failed step as one failure.
count() {
  node - "$1" "$2" <<'JS'
const fs = require("node:fs");
const xml = fs.existsSync(process.argv[2]) ? fs.readFileSync(process.argv[2], "utf8") : "";
const cases = [];
for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
  const name = /\bname="([^"]*)"/.exec(m[1])?.[1] ?? "";
  const body = m[3] ?? "";
  const file = /\b(?:classname|file)="([^"]*)"/.exec(m[1])?.[1] ?? "";
  cases.push({ name, file, body, failed: /<(failure|error)\b/.test(body), skipped: /<skipped\b/.test(body) });
}
const unescape = (s) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, "&");
let passed = 0, failed = 0;
const names = [];
for (const c of cases) {
  const steps = cases.filter((s) => s.name.startsWith(c.name + " &gt; "));
  let counted = false;
  if (steps.length === 0) {
    if (c.failed) counted = true;
    else if (!c.skipped) passed++;
  } else if (c.failed && !steps.some((s) => s.failed)) counted = true;
  if (!counted) continue;
  failed++;
  const why = unescape(c.body.replace(/<[^>]*>/g, "")).trim().split("\n").slice(0, 12)
    .map((l) => "      " + l.slice(0, 300)).join("\n");
  names.push(`  ${unescape(c.file)}: ${unescape(c.name)}\n${why}`);
}
fs.appendFileSync(process.argv[3], names.map((n) => n + "\n").join(""));
console.log(passed, failed);
JS
}

total_passed=0
# A static check that failed counts as a failed test.
total_failed=$static_failed
((static_failed == 0)) || log "static checks: $static_failed failed"
for runner in deno bun podman dockerd; do
  [[ -n ${runner_rc[$runner]:-} ]] || continue
  read -r passed failed < <(count "$reports/$runner.xml" "$reports/failed-$runner.txt")
  rc=${runner_rc[$runner]}
  if ((rc != 0)); then
    status=1
    # A file that failed to load or type-check fails the run without failing a test: count it.
    if ((failed == 0)); then
      log "$runner exited with status $rc outside any test (see its output above)"
      failed=1
    fi
  fi
  log "$runner: $passed passed, $failed failed"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
done

for runner in deno bun podman dockerd; do
  if [[ -s $reports/failed-$runner.txt ]]; then
    log "$runner: failed tests:"
    cat "$reports/failed-$runner.txt"
  fi
done
((total_failed == 0)) || status=1
echo "$total_passed passed, $total_failed failed"
exit "$status"
