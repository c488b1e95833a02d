#!/usr/bin/env bash
# Prepares Podman's Docker-compatible service for the Podman pass of the tests (scripts/setup.sh
# runs it when SETUP_PODMAN=1; it needs the Docker Engine and its test images already):
#   1. Debian's podman and catatonit (podman's init for --init) are installed;
#   2. /etc/containers/containers.conf sets default_ulimits (containers in our sandbox fail to
#      start with the host's nofile/nproc limits otherwise);
#   3. podman holds the test images busybox:latest and nginx:latest, copied from the Docker
#      Engine with `docker save | podman load` (podman names them localhost/busybox:latest, ...);
#   4. `podman system service` answers on $PODMAN_SOCKET, started here in the background when
#      nothing answers there, with remote registries disabled as for dockerd (DOCKERD_OFFLINE).
# Safe to run again: each step checks first. It never stops, resets or prunes anything of podman.
#
# Environment:
#   PODMAN_SOCKET        the service's socket (default /run/standalone-kubelet-podman.sock)
#   PODMAN_LOG           where a service started here logs (default /var/log/podman-service.log)
#   PODMAN_WAIT_SECONDS  how long to wait for a new service to answer (default 30)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "setup_podman: $*"; }
die() {
  echo "setup_podman: error: $*" >&2
  exit 1
}

SOCKET=${PODMAN_SOCKET:-/run/standalone-kubelet-podman.sock}
CONF=/etc/containers/containers.conf
ULIMITS='default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]'
IMAGES=(busybox:latest nginx:latest)

ensure_podman() {
  if command -v podman >/dev/null && command -v catatonit >/dev/null; then
    log "podman $(podman --version | awk '{print $3}') is installed"
    return
  fi
  log "installing Debian's podman and catatonit"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq podman catatonit >/dev/null
}

ensure_ulimits() {
  if [[ -f $CONF ]] && grep -q '^[[:space:]]*default_ulimits' "$CONF"; then
    log "$CONF sets default_ulimits"
    return
  fi
  log "adding default_ulimits to $CONF"
  mkdir -p "$(dirname "$CONF")"
  if [[ -f $CONF ]] && grep -q '^\[containers\]' "$CONF"; then
    sed -i "/^\[containers\]/a $ULIMITS" "$CONF"
  else
    printf '[containers]\n%s\n' "$ULIMITS" >>"$CONF"
  fi
}

ensure_images() {
  local missing=() image
  for image in "${IMAGES[@]}"; do
    # A short name finds localhost/<name> (podman load) and docker.io/library/<name> (a pull).
    podman image exists "$image" || missing+=("$image")
  done
  ((${#missing[@]} == 0)) && {
    log "podman has ${IMAGES[*]}"
    return
  }
  log "copying ${missing[*]} from the Docker Engine into podman"
  docker save "${missing[@]}" | podman load >/dev/null
  for image in "${missing[@]}"; do
    podman image exists "$image" || die "podman load did not make $image available"
  done
}

service_answers() { docker -H "unix://$SOCKET" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# A service started from a directory that was removed since answers, but cannot start containers.
service_stale() {
  local pid
  pid=$(pgrep -f "podman system service --time=0 unix://$SOCKET" | head -n1) || return 1
  [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == *" (deleted)" ]]
}

ensure_service() {
  if service_stale; then
    log "podman system service on $SOCKET runs in a removed directory; restarting it"
    pkill -f "podman system service --time=0 unix://$SOCKET" || true
    for _ in $(seq 50); do service_answers || break; sleep 0.1; done
  elif service_answers; then
    log "podman system service answers on $SOCKET"
    return
  fi
  local log_file=${PODMAN_LOG:-/var/log/podman-service.log}
  log "starting podman system service on $SOCKET (log: $log_file)"
  rm -f "$SOCKET"
  # As for dockerd (scripts/setup.sh): pulls from remote registries fail at once, with no
  # traffic leaving the host; setsid and the redirections detach it from our stdout. It runs
  # from / : the service outlives this checkout, and conmon fails in a deleted directory.
  (cd / && exec setsid nohup env HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
    NO_PROXY=localhost,127.0.0.0/8,::1 podman system service --time=0 "unix://$SOCKET" \
    >>"$log_file" 2>&1 </dev/null) &
  local pid=$!
  disown
  local deadline=$((SECONDS + ${PODMAN_WAIT_SECONDS:-30}))
  until service_answers; do
    kill -0 "$pid" 2>/dev/null || {
      tail -n 20 "$log_file" >&2
      die "podman system service exited"
    }
    ((SECONDS < deadline)) || die "podman system service did not answer within ${PODMAN_WAIT_SECONDS:-30} s"
    sleep 0.5
  done
  log "podman system service answers on $SOCKET"
}

ensure_podman
ensure_ulimits
ensure_images
ensure_service
