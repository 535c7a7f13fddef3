#!/usr/bin/env bash
# Installs the shader tools the tests use to rebuild and validate the committed SPIR-V: Debian's
# glslang-tools (glslangValidator), spirv-tools (spirv-val, spirv-opt) and glslc. Idempotent: when all three
# are on PATH it changes nothing.
#
# Usage: scripts/setup-shader-tools.sh      (as root, or with sudo available; Debian/Ubuntu only)
set -euo pipefail

say() { printf 'setup-shader-tools: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if command -v glslangValidator >/dev/null && command -v spirv-val >/dev/null && command -v glslc >/dev/null; then
  say "glslangValidator, spirv-val and glslc are already installed: nothing to do"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  say "this script installs packages with apt (Debian/Ubuntu) only; install glslang, SPIRV-Tools and shaderc yourself"
  exit 1
fi
say "installing glslang-tools spirv-tools glslc"
as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends glslang-tools spirv-tools glslc
say "done: $(glslangValidator --version | head -n 1)"
