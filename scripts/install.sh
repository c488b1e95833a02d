#!/usr/bin/env bash
# Installs the standalone kubelet as a systemd service, or removes what an
# earlier run installed.
#
# Usage: scripts/install.sh [options] [BINARY]
#        scripts/install.sh --uninstall [--root DIR] [--prefix DIR]
#   BINARY         the kubelet binary to install (default: the dist/ release
#                  binary for this machine, else dist/kubelet)
#   --prefix DIR   where the binary goes: DIR/bin/standalone-kubelet (default /usr/local)
#   --root DIR     install under DIR instead of / (DESTDIR works too), for
#                  packaging and tests; systemctl is then never called
#   --no-start     write the files but do not enable or start the service
#   --uninstall    stop and disable the service, then remove exactly the files
#                  and directories the install recorded (a manifest directory
#                  only when the install created it and it is empty again)
#
# What it writes (under --root):
#   PREFIX/bin/standalone-kubelet
#   /etc/systemd/system/standalone-kubelet.service
#       After= and Requires=docker.service, Restart=always,
#       --pod-manifest-path=/etc/kubernetes/manifests, extra flags from
#       KUBELET_EXTRA_ARGS in /etc/default/standalone-kubelet (not written here)
#   /etc/kubernetes/manifests/ (only created when missing)
#   /var/lib/standalone-kubelet/installed   the record --uninstall reads
set -euo pipefail

name=standalone-kubelet
prefix=/usr/local
root=${DESTDIR:-}
uninstall=false
start=true
binary=

usage() { sed -n '4,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "install.sh: $*" >&2; exit 1; }

while (($#)); do
  case $1 in
    --prefix) (($# >= 2)) || usage; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --root) (($# >= 2)) || usage; root=$2; shift 2 ;;
    --root=*) root=${1#*=}; shift ;;
    --no-start) start=false; shift ;;
    --uninstall) uninstall=true; shift ;;
    -h | --help) usage ;;
    -*) echo "install.sh: unknown option $1" >&2; usage ;;
    *) [[ -z $binary ]] || usage; binary=$1; shift ;;
  esac
done

[[ $prefix == /* ]] || die "--prefix must be an absolute path, not $prefix"
root=${root%/}
if [[ -n $root ]]; then
  [[ -d $root ]] || die "--root $root is not a directory"
  root=$(cd "$root" && pwd)
  [[ $root != / ]] || root=
fi

bin_path=$prefix/bin/$name
unit_path=/etc/systemd/system/$name.service
manifest_dir=/etc/kubernetes/manifests
record=/var/lib/$name/installed

# systemctl only for the real system, and only where systemd is running.
use_systemctl() { [[ -z $root ]] && [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; }

if $uninstall; then
  [[ -f $root$record ]] || die "nothing to uninstall: $root$record is missing"
  if use_systemctl; then
    systemctl disable --now "$name.service" 2>/dev/null || true
  fi
  # The record lists files first, then directories deepest first: "f PATH" / "d PATH".
  mapfile -t lines <"$root$record"
  rm -f -- "$root$record"
  rmdir -- "$root${record%/*}" 2>/dev/null || true
  for line in "${lines[@]}"; do
    kind=${line%% *} path=${line#* }
    [[ $path == /* && $path != *..* ]] || die "bad line in $root$record: $line"
    case $kind in
      f) rm -f -- "$root$path" && echo "removed $root$path" ;;
      d) if rmdir -- "$root$path" 2>/dev/null; then echo "removed $root$path/"; else
        echo "kept $root$path/ (not empty)"; fi ;;
      *) die "bad line in $root$record: $line" ;;
    esac
  done
  if use_systemctl; then systemctl daemon-reload; fi
  exit 0
fi

if [[ -z $binary ]]; then
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  case $(uname -m) in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "no release binary for $(uname -m); pass one" ;;
  esac
  libc=
  # musl's loader in place of glibc's means a musl system (Alpine).
  if compgen -G "/lib/ld-musl-*.so.1" >/dev/null && ! compgen -G "/lib*/ld-linux*.so.*" >/dev/null; then
    libc=-musl
  fi
  for candidate in "$here/dist/kubelet-linux-$arch$libc" "$here/dist/kubelet"; do
    if [[ -f $candidate ]]; then binary=$candidate; break; fi
  done
  [[ -n $binary ]] || die "no binary in $here/dist/: run npm run release (or npm run build) or pass one"
fi
[[ -f $binary && -x $binary ]] || die "$binary is not an executable file"
"$binary" --version >/dev/null 2>&1 || die "$binary --version failed: not a kubelet for this machine?"
[[ ! -e $root$record ]] || die "already installed ($root$record exists): run --uninstall first"

# Directories this run creates, outermost first, so that --uninstall removes
# only those and only when empty.
created_dirs=()
make_dir() {
  local dir=$1 walk= part
  local IFS=/
  for part in ${dir#/}; do
    walk+=/$part
    if [[ ! -d $root$walk ]]; then
      mkdir -m 0755 -- "$root$walk"
      created_dirs+=("$walk")
    fi
  done
}

make_dir "${bin_path%/*}"
make_dir "${unit_path%/*}"
make_dir "$manifest_dir"
make_dir "${record%/*}"

install -m 0755 -- "$binary" "$root$bin_path"
cat >"$root$unit_path" <<EOF
[Unit]
Description=Standalone kubelet: keeps the static pods of $manifest_dir running on Docker
After=docker.service
Requires=docker.service
# As kubeadm's kubelet.service: never give up restarting.
StartLimitIntervalSec=0

[Service]
EnvironmentFile=-/etc/default/$name
ExecStart=$bin_path --pod-manifest-path=$manifest_dir \$KUBELET_EXTRA_ARGS
Restart=always
RestartSec=10

[Install]
WantedBy=multi-user.target
EOF
chmod 0644 "$root$unit_path"

{
  echo "f $bin_path"
  echo "f $unit_path"
  for ((i = ${#created_dirs[@]} - 1; i >= 0; i--)); do
    [[ ${created_dirs[i]} == "${record%/*}" ]] || echo "d ${created_dirs[i]}"
  done
} >"$root$record"

echo "installed $root$bin_path ($("$root$bin_path" --version))"
echo "installed $root$unit_path"
echo "manifests go in $root$manifest_dir"
if use_systemctl; then
  systemctl daemon-reload
  if $start; then
    systemctl enable --now "$name.service"
    echo "started $name.service"
  fi
fi
