#!/usr/bin/env bash
# Debian packages the test suite needs, installed only when their binary is missing (CI runs as root
# on a clean machine with network to the Debian registry; a developer machine that has them skips
# this). Each section installs one tool; scripts/test.sh calls this file first.
set -euo pipefail

apt_updated=0
apt_install() {
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "install-test-deps: need root (or sudo) to install: $*" >&2
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ "$apt_updated" -eq 0 ]; then
    $sudo apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

# --- chromium + poppler-utils (issue 12: the dashboard's browser tests drive Debian's chromium with
# playwright-core, never a downloaded browser; the evidence pack's PDF is printed by headless
# chromium and read back with pdftotext).
if ! command -v chromium >/dev/null 2>&1; then
  apt_install chromium fonts-dejavu-core
fi
if ! command -v pdftotext >/dev/null 2>&1; then
  apt_install poppler-utils
fi
