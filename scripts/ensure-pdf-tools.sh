#!/usr/bin/env bash
# Makes sure the answer letter can be rendered and read back: Debian's Noto CJK fonts (the letter
# embeds Noto Sans CJK JP) and poppler-utils (the tests read the PDF with pdftotext). Installs
# `fonts-noto-cjk` and `poppler-utils` when missing; prints the path of the regular font.
set -euo pipefail

FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

missing=()
[ -f "$FONT" ] || missing+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing ${missing[*]}; run as root or: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "installing ${missing[*]} from Debian's packages…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
echo "$FONT"
