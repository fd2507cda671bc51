#!/usr/bin/env bash
# The README's test command (and CI's): installs what the tests need (Debian's chromium and
# poppler-utils when missing; the npm packages of the end-to-end client, the dashboard and the
# browser driver), builds and
# runs every test in the solution, then prints one closing line "N passed, N failed" from the TRX
# results and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

# The end-to-end test drives the service with an independent Node.js client (tests/e2e): install
# its pinned packages from the lock file first.
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: the end-to-end test needs Node.js 20+ with npm (https://nodejs.org)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
if ! npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error >/dev/null; then
  echo "npm ci --prefix tests/e2e failed (see above)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# Debian packages the tests need (chromium for the dashboard's browser tests and the evidence pack's
# PDF, poppler-utils to read the PDF back), installed only when missing.
if ! bash scripts/install-test-deps.sh; then
  echo "scripts/install-test-deps.sh failed (see above)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
# The dashboard bundle (src/QaAnalytics.Service/web, built by the service build with esbuild) and the
# browser driver (tests/browser: playwright-core, @axe-core/playwright) from their lock files.
for dir in src/QaAnalytics.Service/web tests/browser; do
  if ! npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null; then
    echo "npm ci --prefix $dir failed (see above)" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
done

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

dotnet test QaAnalytics.sln -c Release --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -nE 's/.* passed="([0-9]+)".*/\1/p' <<<"$counters")"
  f="$(sed -nE 's/.* failed="([0-9]+)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

# A build failure produces no results: count it as a failure rather than a silent pass.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "no tests ran" >&2
  failed=1
fi

echo "${passed} passed, ${failed} failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
