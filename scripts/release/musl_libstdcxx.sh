#!/usr/bin/env bash
# Builds the libstdc++.so.6 a Bun-compiled musl binary needs, for running it
# on Debian (whose `musl` package has the loader and libc but no C++ runtime):
# only the C++ runtime symbols the binary imports, taken from Debian's
# static libstdc++ and linked against musl's libc. A test aid for
# scripts/release_check.sh, not something we ship: Alpine's libstdc++ package
# is what a real musl host has.
#
# Usage: scripts/release/musl_libstdcxx.sh amd64|arm64 BINARY OUTDIR
# Needs: musl-tools (amd64) or musl-dev:arm64 + gcc-aarch64-linux-gnu +
# libstdc++-12-dev-arm64-cross (arm64); libstdc++-12-dev.
set -euo pipefail
(($# == 3)) || { echo "usage: $0 amd64|arm64 BINARY OUTDIR" >&2; exit 2; }
arch=$1 binary=$2 out=$3
case $arch in
  amd64)
    gccdir=$(dirname "$(gcc -print-libgcc-file-name)")
    cc=(musl-gcc)
    ;;
  arm64)
    gccdir=$(dirname "$(aarch64-linux-gnu-gcc -print-libgcc-file-name)")
    cc=(aarch64-linux-gnu-gcc -nostdlib -L/usr/lib/aarch64-linux-musl)
    ;;
  *) echo "$0: unknown arch $arch" >&2; exit 2 ;;
esac
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# glibc-only names Debian's libstdc++/libgcc refer to and musl lacks.
cat >"$work/compat.c" <<'C'
long getrandom(void *buf, unsigned long len, unsigned int flags);
char __libc_single_threaded = 0;
unsigned int arc4random(void) { unsigned int v = 0; getrandom(&v, sizeof v, 0); return v; }
/* "not found": the unwinder then has no frame info, which a clean run never needs. */
int _dl_find_object(void *pc, void *result) { (void)pc; (void)result; return -1; }
/* libgcc's arm64 atomics probe calls glibc's internal name; musl exports getauxval. */
unsigned long getauxval(unsigned long type);
unsigned long __getauxval(unsigned long type) { return getauxval(type); }
C

# What the binary imports (including copy-relocated type-info vtables) that
# the static C++ runtime defines.
{
  readelf --dyn-syms -W "$binary" | awk '$7 == "UND" { print $8 }'
  readelf -rW "$binary" | awk '/_COPY/ { print $5 }'
} | sed 's/@.*//' | sort -u >"$work/imported"
nm --defined-only "$gccdir/libstdc++.a" "$gccdir/libgcc_eh.a" 2>/dev/null | awk 'NF == 3 { print $3 }' |
  sort -u >"$work/defined"
mapfile -t wanted < <(comm -12 "$work/imported" "$work/defined")

first=() last=()
libs=("$gccdir/libstdc++.a" "$gccdir/libgcc_eh.a" "$gccdir/libgcc.a")
if [[ $arch == arm64 ]]; then
  # -nostdlib: the start and end files musl-gcc would add, by hand.
  first=(/usr/lib/aarch64-linux-musl/crti.o "$gccdir/crtbeginS.o")
  last=("$gccdir/crtendS.o" /usr/lib/aarch64-linux-musl/crtn.o)
  libs+=(-lc)
fi
"${cc[@]}" -O2 -shared -fPIC -o "$out/libstdc++.so.6" -Wl,-soname,libstdc++.so.6 "${first[@]}" \
  "$work/compat.c" "${wanted[@]/#/-Wl,-u,}" "${libs[@]}" "${last[@]}"
echo "$out/libstdc++.so.6: ${#wanted[@]} symbols for $(basename "$binary")"
