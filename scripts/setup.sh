#!/usr/bin/env bash
# Prepares a Debian machine to build and test the standalone kubelet:
#   1. node_modules matches package-lock.json (npm ci; npm install when there is no lock file yet);
#   2. a Docker Engine answers (installs Debian's docker.io and starts dockerd when needed);
#   3. the Debian tools the tests use: docker-registry and htpasswd (pull tests), openssl (TLS
#      endpoint test) and chromium (the node page's browser test drives /usr/bin/chromium);
#   4. the local test images exist (scripts/test_images.sh);
#   5. with SETUP_PODMAN=1, Podman's Docker-compatible service answers with the test images
#      (scripts/setup_podman.sh: podman, catatonit, containers.conf, `podman system service`).
# Safe to run again: each step checks first and does nothing when all is there.
#
# Environment:
#   DOCKER_HOST          engine to use; when set to anything but the default socket, setup only
#                        checks that it answers and never starts a daemon.
#   DOCKERD_OFFLINE=1    start dockerd with remote registries disabled (scripts/test.sh sets it).
#   DOCKERD_LOG          where a dockerd started here logs (default /var/log/dockerd.log).
#   DOCKERD_WAIT_SECONDS how long to wait for a new dockerd to answer (default 60).
#   SETUP_PODMAN=1       also step 5; PODMAN_SOCKET names its socket
#                        (default /run/standalone-kubelet-podman.sock).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 1; }

# True when every package that package-lock.json installs on this machine is in node_modules at
# the locked version (as npm's own record, node_modules/.package-lock.json, says) and
# package.json asks for what the lock file was made from.
node_modules_current() {
  [[ -f node_modules/.package-lock.json ]] || return 1
  node - <<'JS'
const fs = require("node:fs");
const read = (path) => JSON.parse(fs.readFileSync(path, "utf8"));
const manifest = read("package.json");
const lock = read("package-lock.json");
const installed = read("node_modules/.package-lock.json").packages ?? {};
const root = lock.packages?.[""] ?? {};
const same = (a = {}, b = {}) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
let current = ["dependencies", "devDependencies", "optionalDependencies"].every((k) => same(manifest[k], root[k]));
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  if (path === "" || !path.startsWith("node_modules/")) continue;
  const have = installed[path];
  // Optional packages for other platforms (@oven/bun-darwin-x64, ...) are never installed here.
  if (!have) { if (!entry.optional) current = false; continue; }
  if (have.version !== entry.version || !fs.existsSync(`${path}/package.json`)) current = false;
}
for (const path of Object.keys(installed)) if (!lock.packages?.[path]) current = false;
process.exit(current ? 0 : 1);
JS
}

ensure_node_modules() {
  command -v npm >/dev/null || die "npm is not installed (Node.js with npm is needed)"
  if [[ ! -f package-lock.json ]]; then
    log "no package-lock.json: running npm install"
    npm install --no-audit --no-fund
  elif node_modules_current; then
    log "node_modules is up to date with package-lock.json"
  else
    log "node_modules is missing or stale: running npm ci"
    npm ci --no-audit --no-fund
  fi
}

docker_answers() { docker info >/dev/null 2>&1; }

ensure_docker() {
  if command -v docker >/dev/null && docker_answers; then
    log "Docker Engine answers ($(docker version --format '{{.Server.Version}}, API {{.Server.APIVersion}}'))"
    return
  fi
  case "${DOCKER_HOST:-}" in
    "" | unix:///var/run/docker.sock | unix:///run/docker.sock) ;;
    *) die "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine, or unset DOCKER_HOST" ;;
  esac

  if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
    log "installing Debian's docker.io"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq docker.io >/dev/null
  fi

  local pid=""
  if pgrep -x dockerd >/dev/null; then
    log "dockerd is running but does not answer yet; waiting"
  else
    # A dockerd that died uncleanly leaves its pid file, and a new one refuses to start.
    rm -f /var/run/docker.pid
    local log_file=${DOCKERD_LOG:-/var/log/dockerd.log}
    log "starting dockerd in the background (log: $log_file)"
    local offline=()
    if [[ ${DOCKERD_OFFLINE:-} == 1 ]]; then
      # Test machines reach no registry, and tests send nothing off this machine: an Engine
      # proxy on a closed loopback port makes remote pulls fail at once, with no DNS query
      # leaving the host, while registries on 127.0.0.1 (pull tests) stay reachable.
      log "dockerd: remote registries disabled (DOCKERD_OFFLINE=1)"
      offline=(env HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=localhost,127.0.0.0/8,::1)
    fi
    # setsid and the redirections detach it: it must not hold our stdout (a CI pipe) open.
    setsid nohup "${offline[@]}" dockerd >>"$log_file" 2>&1 </dev/null &
    pid=$!
    disown
  fi

  local wait=${DOCKERD_WAIT_SECONDS:-60} deadline=$((SECONDS + ${DOCKERD_WAIT_SECONDS:-60})) why=""
  until docker_answers; do
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      why="dockerd exited"
    elif ((SECONDS >= deadline)); then
      why="Docker Engine did not answer within $wait s"
    else
      sleep 0.5
      continue
    fi
    echo "setup: last lines of ${DOCKERD_LOG:-/var/log/dockerd.log}:" >&2
    tail -n 20 "${DOCKERD_LOG:-/var/log/dockerd.log}" >&2 || true
    die "$why"
  done
  log "Docker Engine answers ($(docker version --format '{{.Server.Version}}, API {{.Server.APIVersion}}'))"
}

# Debian tools the tests use besides the engine: the command, then its package.
TOOLS=(
  "docker-registry docker-registry"
  "htpasswd apache2-utils"
  "openssl openssl"
  "chromium chromium"
)

ensure_tools() {
  local missing=() entry
  for entry in "${TOOLS[@]}"; do
    command -v "${entry%% *}" >/dev/null || missing+=("${entry#* }")
  done
  ((${#missing[@]} == 0)) && return
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_node_modules
ensure_docker
ensure_tools
bash scripts/test_images.sh
if [[ ${SETUP_PODMAN:-} == 1 ]]; then
  bash scripts/setup_podman.sh
fi
log "done"
