#!/usr/bin/env bash
# Installs what packages/native/scripts/prebuild.sh and prebuilds.test.ts need to build and check the
# prebuilt addon of the other Linux architecture: Debian's cross compiler (g++-aarch64-linux-gnu on an
# x86-64 machine, g++-x86-64-linux-gnu on an arm64 one, with its libc6-dev-*-cross) and qemu-user, which
# runs the other architecture's Node to load the cross-built addon. Idempotent: when the compiler, its
# C library and qemu are already present, it changes nothing.
#
# Usage: scripts/setup-cross.sh            (as root, or with sudo available; Debian/Ubuntu only)
set -euo pipefail

say() { printf 'setup-cross: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

case "$(uname -m)" in
  x86_64) triple=aarch64-linux-gnu; compiler_pkg=g++-aarch64-linux-gnu; qemu=qemu-aarch64 ;;
  aarch64 | arm64) triple=x86_64-linux-gnu; compiler_pkg=g++-x86-64-linux-gnu; qemu=qemu-x86_64 ;;
  *) say "unsupported build machine $(uname -m): the prebuilds are built on x86-64 or arm64 Linux"; exit 1 ;;
esac

state_ok() {
  command -v "$triple-g++" >/dev/null 2>&1 && command -v "$qemu" >/dev/null 2>&1 &&
    [ -e "/usr/$triple/lib/libc.so.6" ]
}

report() {
  local cxx q libc
  cxx="$(command -v "$triple-g++" 2>/dev/null || echo missing)"
  q="$(command -v "$qemu" 2>/dev/null || echo missing)"
  if [ -e "/usr/$triple/lib/libc.so.6" ]; then libc="present"; else libc="missing"; fi
  say "$triple-g++: $cxx; /usr/$triple libc: $libc; $qemu: $q"
}

report
if state_ok; then
  say "the $triple cross compiler and qemu-user are already installed: nothing to do"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  say "this script installs packages with apt (Debian/Ubuntu) only."
  say "install a $triple cross compiler (g++) with its C library, and qemu-user, yourself."
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
say "apt-get update"
as_root apt-get update -qq
say "installing $compiler_pkg qemu-user"
as_root apt-get install -y -qq --no-install-recommends "$compiler_pkg" qemu-user

report
if state_ok; then
  say "done"
else
  say "installed, but the $triple cross compiler or $qemu is still missing; see the messages above"
  exit 1
fi
