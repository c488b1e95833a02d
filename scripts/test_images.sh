#!/usr/bin/env bash
# Builds the local images the tests use, with `docker import` from Debian packages, since no
# image registry can be reached. One build_<name> function per image; add more the same way.
#
#   busybox:latest  from busybox-static: /bin/busybox and its applet links, /etc/passwd with root
#                   and nobody (65534), /tmp; CMD ["sh"].
#   nginx:latest    from nginx-light: /usr/sbin/nginx with the libraries ldd lists and the dynamic
#                   loader, /etc/nginx (nginx.conf, conf.d/default.conf, mime.types), a default
#                   page on port 80 from /usr/share/nginx/html, /var/log/nginx/{access,error}.log
#                   as regular files, /var/lib/nginx, /run, www-data in /etc/passwd and
#                   /etc/group; CMD ["nginx", "-g", "daemon off;"], STOPSIGNAL SIGQUIT.
#   i4-etcd:local   from etcd-server and etcd-client: /usr/local/bin/etcd and etcdctl with the
#                   libraries ldd lists and the dynamic loader, /etc/passwd with root and nobody,
#                   /tmp, /var/lib/etcd; ENV ETCDCTL_API=3, CMD ["etcd"]. No shell.
#
# Usage: scripts/test_images.sh [--force] [--verify] [IMAGE...]
#   --force   rebuild images that already exist
#   --verify  also check images that already exist (new ones are always checked)
#   IMAGE     only these (busybox:latest, nginx:latest, i4-etcd:local); default all
# Verification containers are named pausetest-* (i4-verify-* for etcd) and removed afterwards.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "test_images: $*"; }
die() { echo "test_images: error: $*" >&2; exit 1; }

# Image name -> the function that fills a root filesystem (the directory given as $1) and writes
# the image's Dockerfile instructions (CMD, ENV, STOPSIGNAL, ...) to file descriptor 3, one a
# line; and the function that checks containers of it.
declare -A build_fn=([busybox:latest]=build_busybox [nginx:latest]=build_nginx [i4-etcd:local]=build_etcd)
declare -A verify_fn=([busybox:latest]=verify_busybox [nginx:latest]=verify_nginx [i4-etcd:local]=verify_etcd)
all_images=(busybox:latest nginx:latest i4-etcd:local) # in build order: nginx's check uses busybox

readonly DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

apt_updated=false
# Installs the Debian packages not installed yet; apt-get update runs once, only if needed.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]}"
  if ! $apt_updated; then
    apt-get update -qq
    apt_updated=true
  fi
  # policy-rc.d keeps package scripts from starting services (nginx) on the host.
  local policy=/usr/sbin/policy-rc.d added_policy=false
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && added_policy=true
  fi
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq "${missing[@]}" >/dev/null || {
    if $added_policy; then rm -f "$policy"; fi
    die "apt-get install ${missing[*]} failed"
  }
  if $added_policy; then rm -f "$policy"; fi
}

# /etc/passwd, /etc/group and /etc/nsswitch.conf for a root filesystem; extra lines from stdin
# are "passwd:LINE" or "group:LINE".
write_accounts() {
  local root=$1 line
  mkdir -p "$root/etc"
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\n' >"$root/etc/group"
  while IFS= read -r line; do
    case $line in
      passwd:*) echo "${line#passwd:}" >>"$root/etc/passwd" ;;
      group:*) echo "${line#group:}" >>"$root/etc/group" ;;
    esac
  done
  printf 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >>"$root/etc/passwd"
  printf 'nogroup:x:65534:\n' >>"$root/etc/group"
  printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
  mkdir -p "$root/root"
  chmod 700 "$root/root"
}

build_busybox() {
  local root=$1
  ensure_packages busybox-static
  local busybox
  busybox=$(dpkg -L busybox-static | grep -m1 '/bin/busybox$') || die "busybox-static has no /bin/busybox"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,tmp,var,home,proc,sys,dev,etc}
  chmod 1777 "$root/tmp"
  install -m 755 "$busybox" "$root/bin/busybox"
  local applet
  while IFS= read -r applet; do
    [[ $applet == bin/busybox || $applet == linuxrc ]] && continue
    mkdir -p "$root/$(dirname "$applet")"
    ln -sf /bin/busybox "$root/$applet"
  done < <("$root/bin/busybox" --list-full)
  write_accounts "$root" </dev/null
  echo "ENV PATH=$DEFAULT_PATH" >&3
  echo 'CMD ["sh"]' >&3
}

verify_busybox() {
  local out
  out=$(docker run --rm --name "pausetest-busybox-$$" busybox:latest sh -c 'echo hi') || return 1
  [[ $out == hi ]] || { echo "expected 'hi', got '$out'" >&2; return 1; }
  out=$(docker run --rm --name "pausetest-busybox-$$" --user 65534 busybox:latest id -un) || return 1
  [[ $out == nobody ]] || { echo "expected user nobody, got '$out'" >&2; return 1; }
}

# Copies a file to the same path under a root, following symbolic links.
copy_into() {
  local root=$1 path=$2
  mkdir -p "$root/$(dirname "$path")"
  cp -L "$path" "$root/$path"
}

build_nginx() {
  local root=$1
  ensure_packages nginx-light
  local nginx
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  [[ -x $nginx ]] || die "nginx-light is installed but $nginx is missing"

  mkdir -p "$root"/{usr/sbin,tmp,run,proc,sys,dev,var/lib/nginx,var/log/nginx,var/cache/nginx}
  mkdir -p "$root"/{etc/nginx/conf.d,usr/share/nginx/html}
  chmod 1777 "$root/tmp"
  install -m 755 "$nginx" "$root/usr/sbin/nginx"
  # The shared libraries, by the paths ldd resolves, and the loader ("/lib64/ld-linux-....so.2").
  local lib
  while read -r lib; do
    copy_into "$root" "$lib"
  done < <(ldd "$nginx" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')

  write_accounts "$root" <<'EOF'
passwd:www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
group:www-data:x:33:
EOF
  local f
  for f in mime.types fastcgi_params scgi_params uwsgi_params; do
    [[ -f /etc/nginx/$f ]] && cp "/etc/nginx/$f" "$root/etc/nginx/$f"
  done
  [[ -f $root/etc/nginx/mime.types ]] || die "/etc/nginx/mime.types is missing (nginx-common)"

  cat >"$root/etc/nginx/nginx.conf" <<'EOF'
user www-data;
worker_processes auto;

error_log /var/log/nginx/error.log notice;
pid /run/nginx.pid;

events {
    worker_connections 1024;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;

    log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                    '$status $body_bytes_sent "$http_referer" '
                    '"$http_user_agent" "$http_x_forwarded_for"';
    access_log /var/log/nginx/access.log main;

    sendfile on;
    keepalive_timeout 65;

    include /etc/nginx/conf.d/*.conf;
}
EOF
  cat >"$root/etc/nginx/conf.d/default.conf" <<'EOF'
server {
    listen 80;
    server_name localhost;

    location / {
        root /usr/share/nginx/html;
        index index.html index.htm;
    }

    error_page 500 502 503 504 /50x.html;
    location = /50x.html {
        root /usr/share/nginx/html;
    }
}
EOF
  cat >"$root/usr/share/nginx/html/index.html" <<'EOF'
<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and working.</p>
</body>
</html>
EOF
  cat >"$root/usr/share/nginx/html/50x.html" <<'EOF'
<!DOCTYPE html>
<html>
<head>
<title>Error</title>
</head>
<body>
<h1>An error occurred.</h1>
</body>
</html>
EOF
  # Regular files, not links to /dev/stdout as in the official image: tests read and empty them.
  : >"$root/var/log/nginx/access.log"
  : >"$root/var/log/nginx/error.log"
  chmod 644 "$root/var/log/nginx/"*.log

  {
    echo "ENV PATH=$DEFAULT_PATH"
    echo "EXPOSE 80/tcp"
    echo "STOPSIGNAL SIGQUIT"
    echo 'CMD ["nginx", "-g", "daemon off;"]'
  } >&3
}

verify_nginx() {
  local name="pausetest-nginx-$$" out="" rc=0
  # The client is a busybox container in nginx's network namespace, as in a pod.
  image_exists busybox:latest || build_image busybox:latest
  docker run -d --name "$name" nginx:latest >/dev/null || return 1
  for _ in $(seq 1 20); do
    if out=$(docker run --rm --name "pausetest-nginx-client-$$" --network "container:$name" busybox:latest \
      wget -qO- http://127.0.0.1/ 2>/dev/null); then
      break
    fi
    sleep 0.25
  done
  if [[ $out != *"Welcome to nginx!"* ]]; then
    echo "nginx did not serve its page; its logs:" >&2
    docker logs "$name" >&2 || true
    rc=1
  elif ! docker cp "$name:/var/log/nginx/access.log" - | tar -xOf - | grep -q '"GET / HTTP/1.1" 200'; then
    echo "the request is not in /var/log/nginx/access.log" >&2
    rc=1
  fi
  docker rm -f "$name" >/dev/null 2>&1 || true
  return "$rc"
}

build_etcd() {
  local root=$1 bin lib
  ensure_packages etcd-server etcd-client
  mkdir -p "$root"/{usr/local/bin,tmp,var/lib/etcd,proc,sys,dev}
  chmod 1777 "$root/tmp"
  chmod 700 "$root/var/lib/etcd"
  for bin in etcd etcdctl; do
    [[ -x /usr/bin/$bin ]] || die "/usr/bin/$bin is missing (etcd-server, etcd-client)"
    install -m 755 "/usr/bin/$bin" "$root/usr/local/bin/$bin"
    # Debian builds them with cgo: the libraries ldd resolves, and the loader.
    while read -r lib; do
      copy_into "$root" "$lib"
    done < <(ldd "/usr/bin/$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
  done
  write_accounts "$root" </dev/null
  {
    echo "ENV PATH=$DEFAULT_PATH"
    echo "ENV ETCDCTL_API=3"
    echo 'CMD ["etcd"]'
  } >&3
}

verify_etcd() {
  local name="i4-verify-etcd-$$" rc=1
  docker run -d --name "$name" i4-etcd:local etcd --data-dir=/var/lib/etcd \
    --listen-client-urls=http://127.0.0.1:2379 --advertise-client-urls=http://127.0.0.1:2379 >/dev/null || return 1
  for _ in $(seq 1 40); do
    if docker exec "$name" etcdctl --endpoints=http://127.0.0.1:2379 endpoint health >/dev/null 2>&1; then
      rc=0
      break
    fi
    sleep 0.25
  done
  if ((rc != 0)); then
    echo "etcd did not become healthy; its logs:" >&2
    docker logs "$name" 2>&1 | tail -20 >&2 || true
  fi
  docker rm -f "$name" >/dev/null 2>&1 || true
  return "$rc"
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# Builds one image: a root filesystem from its build function, made a layer with `docker import`.
# `docker import --change` takes only some Dockerfile instructions (not STOPSIGNAL on Engine
# 20.10); any others are applied by a `docker build` of "FROM <imported>" plus those lines,
# with no build context (the legacy builder: nothing is pulled).
build_image() {
  local image=$1 work line old_id="" changes=() rest=()
  work=$(mktemp -d "$work_dir/image.XXXXXX")
  mkdir "$work/root"
  log "building $image"
  "${build_fn[$image]}" "$work/root" 3>"$work/instructions"
  while IFS= read -r line; do
    case ${line%% *} in
      CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | USER | VOLUME | WORKDIR) changes+=(--change "$line") ;;
      *) rest+=("$line") ;;
    esac
  done <"$work/instructions"

  old_id=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  # With instructions left for `docker build`, the import is an intermediate image.
  local imported=$image
  if ((${#rest[@]})); then imported="pausetest-import-${image%%:*}:$$"; fi
  tar -C "$work/root" --numeric-owner --owner=0 --group=0 -cf - . |
    docker import --message "built by scripts/test_images.sh" "${changes[@]}" - "$imported" >/dev/null
  if ((${#rest[@]})); then
    printf 'FROM %s\n' "$imported" >"$work/Dockerfile"
    printf '%s\n' "${rest[@]}" >>"$work/Dockerfile"
    DOCKER_BUILDKIT=0 docker build --quiet --tag "$image" - <"$work/Dockerfile" >/dev/null 2>"$work/build.log" ||
      { cat "$work/build.log" >&2; docker rmi "$imported" >/dev/null 2>&1; die "docker build of $image failed"; }
    docker rmi "$imported" >/dev/null # only the tag: the layer stays under the new image
  fi
  if [[ -n $old_id && $old_id != "$(docker image inspect --format '{{.Id}}' "$image")" ]]; then
    docker rmi "$old_id" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  log "built $image ($(docker image inspect --format '{{.Size}}' "$image" | numfmt --to=iec))"
}

force=false
verify_existing=false
images=()
for arg in "$@"; do
  case $arg in
    --force) force=true ;;
    --verify) verify_existing=true ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $arg" ;;
    *)
      [[ -n ${build_fn[$arg]:-} ]] || die "unknown image $arg (known: ${all_images[*]})"
      images+=("$arg")
      ;;
  esac
done
((${#images[@]})) || images=("${all_images[@]}")

work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"; docker rm -f "pausetest-nginx-$$" "i4-verify-etcd-$$" >/dev/null 2>&1 || true' EXIT

for image in "${images[@]}"; do
  verify=$verify_existing
  if $force || ! image_exists "$image"; then
    build_image "$image"
    verify=true
  else
    log "$image exists (--force rebuilds it)"
  fi
  if $verify; then
    "${verify_fn[$image]}" || die "$image does not work (scripts/test_images.sh --force rebuilds it)"
    log "$image works"
  fi
done
