#!/usr/bin/env bash
# The README's test command (and CI's): installs what the tests need (scripts/install-test-deps.sh:
# Jupyter and the .NET kernel, Debian's chromium and poppler-utils, the npm packages of the end-to-end
# client, the dashboard and the browser driver, each only when missing), builds and
# runs every test in the solution, then prints one closing line "N passed, N failed" from the TRX
# results and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

# What the tests use beyond the .NET SDK, each installed only when missing (one function per need in
# scripts/install-test-deps.sh): Jupyter and the .NET kernel for the notebook tests, the
# independent Node.js client of the end-to-end test (tests/e2e), Debian's chromium and poppler-utils
# for the browser tests and the evidence pack, and the dashboard's and browser driver's npm packages.
if ! bash scripts/install-test-deps.sh; then
  echo "scripts/install-test-deps.sh failed (see above)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
# The .NET Interactive kernel is a global dotnet tool: Jupyter starts it as `dotnet interactive`.
export PATH="$PATH:$HOME/.dotnet/tools"

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
