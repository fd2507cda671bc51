#!/usr/bin/env bash
# Installs what the tests (and a newcomer) need beyond the .NET SDK, each only when it is missing,
# so running it again changes nothing. One function per need; scripts/test.sh calls this first.
# Only Debian packages (apt-get), NuGet (dotnet tool) and npm are used.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_updated=0
# apt_install PACKAGE...: installs the Debian packages not yet installed (apt-get update once first).
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ "$apt_updated" -eq 0 ]; then
    $sudo apt-get update -qq
    apt_updated=1
  fi
  echo "install-test-deps: apt-get install ${missing[*]}" >&2
  # Other apt runs on the machine hold the dpkg lock for a while: wait for it rather than fail.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
}

# Jupyter (Debian's nbconvert and client) and the .NET Interactive kernel, listening on this
# machine only: scripts/notebooks.sh and the notebook tests execute the notebooks through it.
DOTNET_INTERACTIVE_VERSION=1.0.712001
install_jupyter() {
  apt_install jupyter-nbconvert jupyter-client
  export PATH="$PATH:$HOME/.dotnet/tools"
  if ! dotnet tool list -g | grep -qi "^microsoft.dotnet-interactive \+$DOTNET_INTERACTIVE_VERSION"; then
    echo "install-test-deps: dotnet tool install -g Microsoft.dotnet-interactive $DOTNET_INTERACTIVE_VERSION" >&2
    dotnet tool uninstall -g Microsoft.dotnet-interactive >/dev/null 2>&1 || true
    dotnet tool install -g Microsoft.dotnet-interactive --version "$DOTNET_INTERACTIVE_VERSION" >/dev/null
  fi
  if ! jupyter kernelspec list 2>/dev/null | grep -q '^ *\.net-csharp '; then
    dotnet interactive jupyter install >/dev/null
  fi
  # The kernel spec must exist now: `dotnet interactive jupyter install` exits 0 even when it failed.
  local spec
  spec="$(jupyter kernelspec list 2>/dev/null | awk '$1 == ".net-csharp" { print $2 }')"
  [ -n "$spec" ] || { echo "install-test-deps: the .NET C# Jupyter kernel is not installed" >&2; return 1; }
  # The kernel's HTTP endpoints listen on this machine only (the install command has no such option).
  python3 - "$spec/kernel.json" <<'PY'
import json, sys
path = sys.argv[1]
spec = json.load(open(path))
if "--http-local-only" not in spec["argv"]:
    spec["argv"].append("--http-local-only")
    json.dump(spec, open(path, "w"), indent=2)
PY
}

# The end-to-end test's independent Node.js client (pinned by tests/e2e/package-lock.json).
install_e2e_client() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: the end-to-end test needs Node.js 20+ with npm (https://nodejs.org)" >&2
    return 1
  fi
  npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error >/dev/null
}

# Debian's chromium (the dashboard's browser tests drive it with playwright-core, never a downloaded
# browser; the evidence pack's PDF is printed by headless chromium) and poppler-utils (pdftotext reads
# the PDF back).
install_chromium() {
  command -v chromium >/dev/null 2>&1 || apt_install chromium fonts-dejavu-core
  command -v pdftotext >/dev/null 2>&1 || apt_install poppler-utils
}

# The dashboard bundle's build packages (src/QaAnalytics.Service/web: esbuild, apache-arrow, Plot) and
# the browser driver (tests/browser: playwright-core, @axe-core/playwright), from their lock files.
install_web() {
  local dir
  for dir in src/QaAnalytics.Service/web tests/browser; do
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
  done
}

if [ "$#" -eq 0 ]; then set -- jupyter e2e_client chromium web; fi
for need in "$@"; do
  "install_$need"
done
