#!/usr/bin/env bash
# Prints the path of a Node.js binary of the given major version and architecture, installing it first
# from the npm registry's `node-linux-<arch>` package (the official binaries, published as an npm
# package) into .cache/node-runtimes/. Nothing else is downloaded.
#
# Usage: scripts/node-runtime.sh <major> [x64|arm64]      e.g. scripts/node-runtime.sh 24
set -euo pipefail

major="${1:?usage: node-runtime.sh <major> [x64|arm64]}"
arch="${2:-x64}"
# The exact releases the test matrix runs; bump them together with the CI notes.
case "$major" in
  20) version=20.20.2 ;;
  22) version=22.23.5 ;;
  24) version=24.22.3 ;;
  *) echo "node-runtime: no pinned release for Node $major (known: 20, 22, 24)" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.cache/node-runtimes/node-linux-$arch-$version"
binary="$dir/package/bin/node"
if [ ! -x "$binary" ]; then
  mkdir -p "$dir"
  tarball="$(cd "$dir" && npm pack --silent "node-linux-$arch@$version")"
  tar -xzf "$dir/$tarball" -C "$dir"
  rm -f "$dir/$tarball"
fi
printf '%s\n' "$binary"
