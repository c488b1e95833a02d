#!/usr/bin/env bash
# The full release check, too slow for every CI run: builds every release
# binary (npm run release), verifies dist/SHA256SUMS, starts each binary
# (`--version` must name package.json's version and HEAD's commit) and
# measures them (scripts/bench_release.ts):
#   linux-x64         natively
#   linux-arm64       under qemu-aarch64-static, with Debian's arm64 glibc (libc6:arm64)
#   linux-x64-musl    with Debian's musl loader and a musl libstdc++ built here
#   linux-arm64-musl  both: qemu, Debian's arm64 musl, a musl libstdc++ for arm64
# (scripts/release/musl_libstdcxx.sh explains the libstdc++).
#
# Usage: scripts/release_check.sh [--no-build]
#   --no-build  check the binaries already in dist/
# Environment: E2E_NODE_PREFIX, E2E_PORT_OFFSET as for the e2e tests (node
# name and status port of the kubelet started for the /healthz measurement).
#
# Installs what it needs from Debian when missing (as root), adding the arm64
# architecture to dpkg for libc6:arm64 and musl:arm64.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

log() { echo "release_check: $*"; }
fail() { log "FAILED: $*"; exit 1; }

build=true
case "${1:-}" in
  "") ;;
  --no-build) build=false ;;
  *) echo "usage: $0 [--no-build]" >&2; exit 2 ;;
esac

# Debian packages this check needs, by a file each provides.
declare -A needs=(
  [/usr/bin/qemu-aarch64-static]=qemu-user-static
  [/lib/ld-linux-aarch64.so.1]=libc6:arm64
  [/lib/ld-musl-x86_64.so.1]=musl
  [/usr/bin/musl-gcc]=musl-tools
  [/lib/ld-musl-aarch64.so.1]=musl:arm64
  [/usr/lib/aarch64-linux-musl/libc.so]=musl-dev:arm64
  [/usr/bin/aarch64-linux-gnu-gcc]=gcc-aarch64-linux-gnu
  [/usr/lib/gcc-cross/aarch64-linux-gnu/12/libstdc++.a]=libstdc++-12-dev-arm64-cross
  [/usr/bin/sha256sum]=coreutils
  [/usr/bin/time]=time
)
missing=()
for file in "${!needs[@]}"; do [[ -e $file ]] || missing+=("${needs[$file]}"); done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  [[ " ${missing[*]} " != *":arm64 "* ]] || dpkg --add-architecture arm64
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if $build; then
  log "npm run release"
  npm run --silent release
fi

log "sha256sum -c dist/SHA256SUMS"
(cd dist && sha256sum -c SHA256SUMS) || fail "checksums do not verify"

version=$(node -p 'require("./package.json").version')
commit=$(git rev-parse --short=12 HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bash scripts/release/musl_libstdcxx.sh amd64 dist/kubelet-linux-x64-musl "$work/musl-amd64"
bash scripts/release/musl_libstdcxx.sh arm64 dist/kubelet-linux-arm64-musl "$work/musl-arm64"

# How each binary is started here.
declare -A runner=(
  [kubelet-linux-x64]=""
  [kubelet-linux-arm64]="qemu-aarch64-static"
  [kubelet-linux-x64-musl]="env LD_LIBRARY_PATH=$work/musl-amd64"
  [kubelet-linux-arm64-musl]="qemu-aarch64-static -E LD_LIBRARY_PATH=$work/musl-arm64"
)
for name in kubelet-linux-x64 kubelet-linux-arm64 kubelet-linux-x64-musl kubelet-linux-arm64-musl; do
  bin=dist/$name
  log "$name: $(file -b "$bin" | cut -d, -f1-2,4-5)"
  # shellcheck disable=SC2086 # the runner is a command prefix
  out=$(${runner[$name]} "$bin" --version) || fail "$name --version exited $?"
  log "$name --version: $out"
  [[ $out == "Kubernetes v"*"-standalone.$version+$commit"* ]] ||
    fail "$name is not stamped with $version and commit $commit"
done

offset=${E2E_PORT_OFFSET:-0}
log "measuring (median of 10; machine load: $(cut -d' ' -f1-3 /proc/loadavg))"
MUSL_LIBRARY_PATH=$work/musl-amd64 bun scripts/bench_release.ts \
  --port $((offset + 10290)) --node "${E2E_NODE_PREFIX:-}bench-release" \
  dist/kubelet-linux-x64 dist/kubelet-linux-x64-musl \
  "dist/kubelet-linux-arm64=qemu-aarch64-static" \
  "dist/kubelet-linux-arm64-musl=qemu-aarch64-static -E LD_LIBRARY_PATH=$work/musl-arm64"
log "ok"
