#!/usr/bin/env bash
# Installs the Temporal CLI (which embeds the dev server) into a per-user cache, once.
# v1.5.1 is pinned because later tags cannot be built with `go install`.
# Progress goes to stderr; the last stdout line is the binary's path, for callers to capture.
set -euo pipefail

version="v1.5.1"
cache_root="${DISCLOSURE_TEMPORAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/disclosure-engine}"
bin_dir="$cache_root/temporal-$version"
binary="$bin_dir/temporal"

advice() {
  cat >&2 <<MSG
$1
To get a Temporal server, do one of:
  - install Go >= 1.25 (https://go.dev/dl/) and run this again: $0
  - set TEMPORAL_CLI_PATH to an existing temporal CLI binary
  - put a 'temporal' binary on your PATH
MSG
}

if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  advice "The Temporal CLI $version is not installed, and 'go' was not found to build it."
  exit 1
fi

mkdir -p "$bin_dir"
echo "building the Temporal CLI $version once (takes a few minutes)…" >&2
if ! GOBIN="$bin_dir" go install "github.com/temporalio/cli/cmd/temporal@$version" >&2; then
  advice "Building the Temporal CLI $version with $(go version) failed (output above)."
  exit 1
fi
echo "installed the Temporal CLI $version at $binary" >&2
echo "$binary"
