#!/usr/bin/env bash
# Releases the packages that pending changesets (.changeset/*.md) bump.
#
#   bash scripts/release.sh             dry run: clean, install, build, test, then show the versions that
#                                       `changeset version` would write and, per package, what its tarball
#                                       would hold (`pnpm pack --dry-run`, prepack included). Versions and publishes nothing.
#   bash scripts/release.sh --publish   the same checks, then `changeset version` and `changeset publish`
#                                       (pnpm publish of every package whose new version is not on the
#                                       registry; each prepack builds from scratch). Needs a clean git tree
#                                       and npm credentials; commit the versions and push the tags after.
set -euo pipefail
cd "$(dirname "$0")/.."

publish=false
for arg in "$@"; do
  case "$arg" in
    --publish) publish=true ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "release: unknown argument $arg (use --publish to publish, nothing for a dry run)" >&2; exit 2 ;;
  esac
done

if command -v pnpm >/dev/null 2>&1; then pnpm=(pnpm); else pnpm=(npx --yes pnpm@10.34.9); fi
step() { printf '\n== release: %s\n' "$*"; }

if $publish && [ -n "$(git status --porcelain)" ]; then
  echo "release: the git tree has uncommitted changes; commit or stash them before publishing:" >&2
  git status --short >&2
  exit 1
fi

step "clean (dist, prebuilds, *.tsbuildinfo)"
rm -rf packages/*/dist apps/*/dist packages/*/prebuilds
find . \( -name node_modules -o -name .git -o -name .cache \) -prune -o -name '*.tsbuildinfo' -exec rm -f {} +

step "install --frozen-lockfile"
"${pnpm[@]}" install --frozen-lockfile

step "build (no turbo cache)"
"${pnpm[@]}" exec turbo run build --force

step "test"
"${pnpm[@]}" test

step "versions the pending changesets give"
base_branch="$(node -p 'require("./.changeset/config.json").baseBranch ?? "main"')"
if ! git rev-parse --verify --quiet "$base_branch" >/dev/null; then
  echo "release: changesets compares with the branch $base_branch, which this clone lacks: git fetch origin $base_branch:$base_branch" >&2
  exit 1
fi
"${pnpm[@]}" exec changeset status --verbose

# The published packages: every packages/* that is not private.
mapfile -t packages < <(node -e '
  const { readdirSync, readFileSync, existsSync } = require("node:fs");
  for (const dir of readdirSync("packages")) {
    const file = `packages/${dir}/package.json`;
    if (existsSync(file) && !JSON.parse(readFileSync(file, "utf8")).private) console.log(`packages/${dir}`);
  }')

if ! $publish; then
  for dir in "${packages[@]}"; do
    step "what $dir would publish (pnpm pack --dry-run)"
    (cd "$dir" && "${pnpm[@]}" pack --dry-run)
  done
  printf '\nrelease: dry run done; nothing was versioned or published. Run with --publish to publish.\n'
  exit 0
fi

step "changeset version"
"${pnpm[@]}" exec changeset version
"${pnpm[@]}" install --lockfile-only

step "changeset publish"
"${pnpm[@]}" exec changeset publish

printf '\nrelease: published. Commit the new versions and changelogs, then push with tags: git push --follow-tags\n'
