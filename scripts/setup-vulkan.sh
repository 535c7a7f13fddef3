#!/usr/bin/env bash
# Installs a software Vulkan driver (Mesa's lavapipe) and the Vulkan loader, so that @vkmap/native can
# run without a GPU. Idempotent: when a lavapipe ICD from Mesa >= 24.1 (Vulkan 1.4, VK_KHR_map_memory2)
# and libvulkan.so.1 are already present, it changes nothing.
#
# On Debian 12 (bookworm) Mesa 24.1+ comes from bookworm-backports; the script adds that suite to the
# apt sources when it is missing. Other systems: install libvulkan1 and mesa-vulkan-drivers (Mesa >= 24.1)
# with the system's package manager.
#
# Usage: scripts/setup-vulkan.sh            (as root, or with sudo available)
set -euo pipefail

MIN_MESA="24.1"
BACKPORTS_LINE="deb http://deb.debian.org/debian bookworm-backports main"

say() { printf 'setup-vulkan: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

have_loader() {
  ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 ' ||
    ls /usr/lib/*/libvulkan.so.1 /usr/lib/libvulkan.so.1 /usr/lib64/libvulkan.so.1 >/dev/null 2>&1
}

lavapipe_icd() {
  local f
  for f in /usr/share/vulkan/icd.d/lvp_icd*.json; do
    if [ -f "$f" ]; then printf '%s' "$f"; return 0; fi
  done
}

# The Mesa version of the installed Vulkan drivers ("" when unknown).
mesa_version() {
  local v=""
  if command -v dpkg-query >/dev/null 2>&1; then
    v="$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)"
    v="${v#*:}"      # drop an epoch
    v="${v%%[-~+]*}" # drop the Debian revision and backport suffixes
  fi
  printf '%s' "$v"
}

# version_at_least A B: A >= B (dotted numbers).
version_at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

state_ok() {
  local icd mesa
  icd="$(lavapipe_icd)"
  mesa="$(mesa_version)"
  have_loader && [ -n "$icd" ] && [ -n "$mesa" ] && version_at_least "$mesa" "$MIN_MESA"
}

report() {
  local icd mesa loader
  icd="$(lavapipe_icd)"
  mesa="$(mesa_version)"
  if have_loader; then loader="present"; else loader="missing"; fi
  say "libvulkan.so.1: ${loader}; lavapipe ICD: ${icd:-missing}; mesa-vulkan-drivers: ${mesa:-not installed}"
}

report
if state_ok; then
  say "lavapipe from Mesa >= ${MIN_MESA} and the Vulkan loader are already installed: nothing to do"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  say "this script installs packages with apt (Debian/Ubuntu) only."
  say "install the Vulkan loader (libvulkan1) and Mesa's Vulkan drivers (mesa-vulkan-drivers, Mesa >= ${MIN_MESA}) yourself."
  exit 1
fi

codename="$( . /etc/os-release 2>/dev/null && printf '%s' "${VERSION_CODENAME:-}" )"
backports_args=()
if [ "$codename" = "bookworm" ]; then
  # Is bookworm-backports already in a deb822 .sources file or a one-line .list file?
  if grep -rqsE '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    /etc/apt/sources.list.d/*.sources 2>/dev/null; then
    say "bookworm-backports is already configured in the apt sources"
  else
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      target=/etc/apt/sources.list.d/bookworm-backports.sources
      say "adding bookworm-backports to ${target} (deb822 format, like debian.sources)"
      printf '%s\n' \
        'Types: deb' \
        'URIs: http://deb.debian.org/debian' \
        'Suites: bookworm-backports' \
        'Components: main' \
        'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' | as_root tee "$target" >/dev/null
    else
      target=/etc/apt/sources.list.d/bookworm-backports.list
      say "adding '${BACKPORTS_LINE}' to ${target}"
      printf '%s\n' "$BACKPORTS_LINE" | as_root tee "$target" >/dev/null
    fi
  fi
  backports_args=(-t bookworm-backports)
else
  say "not Debian bookworm (VERSION_CODENAME='${codename}'): installing from the configured suites"
fi

say "apt-get update"
as_root apt-get update -qq

export DEBIAN_FRONTEND=noninteractive
say "installing mesa-vulkan-drivers ${backports_args[*]:-}"
as_root apt-get install -y -qq --no-install-recommends "${backports_args[@]}" mesa-vulkan-drivers
say "installing libvulkan1 libvulkan-dev"
as_root apt-get install -y -qq --no-install-recommends libvulkan1 libvulkan-dev

report
if state_ok; then
  say "done: lavapipe from Mesa $(mesa_version) is installed"
else
  say "installed, but lavapipe from Mesa >= ${MIN_MESA} is still not available; see the messages above"
  exit 1
fi
