#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed (the console's browser tests drive it through
# playwright-core) and prints the path of its executable. Installs the `chromium` package if
# missing; nothing here downloads a browser build of its own.
set -euo pipefail

find_chromium() {
  for candidate in /usr/bin/chromium /usr/lib/chromium/chromium /usr/bin/chromium-browser; do
    if [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! path="$(find_chromium)"; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Chromium is not installed; run as root or: apt-get install -y chromium" >&2
    exit 1
  fi
  echo "installing Chromium from Debian's packages…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >&2
  path="$(find_chromium)"
fi
echo "$path"
