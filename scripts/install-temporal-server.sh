#!/usr/bin/env bash
# Builds the Temporal server (and its SQL schema tool) into a per-user cache, once, for the
# cluster test tier. v1.29.1 is pinned: it is the version the deployment is tested against, and
# its module has no `replace` directives, so `go install` builds it.
# The module's PostgreSQL schema is copied beside the binaries, so tests need neither Go nor the
# module cache once this has run.
# Progress goes to stderr; the last stdout line is the cache folder (`server`, `sql`, `schema/`).
set -euo pipefail

version="v1.29.1"
cache_root="${DISCLOSURE_TEMPORAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/disclosure-engine}"
bin_dir="$cache_root/temporal-server-$version"

if [[ -x "$bin_dir/server" && -x "$bin_dir/sql" && -d "$bin_dir/schema/postgresql/v12" ]]; then
  echo "$bin_dir"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
The Temporal server $version is not built, and 'go' was not found to build it.
Install Go >= 1.25 (https://go.dev/dl/) and run this again: $0
MSG
  exit 1
fi

mkdir -p "$bin_dir"
echo "building the Temporal server $version once (takes a few minutes)…" >&2
started=$(date +%s)
if ! GOBIN="$bin_dir" go install \
  "go.temporal.io/server/cmd/server@$version" \
  "go.temporal.io/server/cmd/tools/sql@$version" >&2; then
  echo "Building the Temporal server $version with $(go version) failed (output above)." >&2
  exit 1
fi
module_dir="$(go env GOMODCACHE)/go.temporal.io/server@$version"
mkdir -p "$bin_dir/schema/postgresql"
rm -rf "$bin_dir/schema/postgresql/v12"
cp -R "$module_dir/schema/postgresql/v12" "$bin_dir/schema/postgresql/v12"
chmod -R u+w "$bin_dir/schema"
echo "built the Temporal server $version in $(( $(date +%s) - started )) s at $bin_dir" >&2
echo "$bin_dir"
