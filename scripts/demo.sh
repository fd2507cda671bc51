#!/usr/bin/env bash
# The README's first Quick start command: the whole pipeline on the embedded default.
# 1. qa-ingest demo: synthetic sample data (with planted bad rows) → validated load → DuckDB snapshot
#    → team risk model backtested against its baseline, trained, and every team scored (a new snapshot).
# 2. qa-service --smoke: the gRPC service starts on loopback, answers real calls (catalogue, grade
#    mix, triangulation, risk flags) decoded from Arrow, and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet run --project src/QaAnalytics.Ingest -- demo --data data
echo
echo "6. Service: gRPC on 127.0.0.1, answered over HTTP/2 and decoded from Arrow"
# Development authentication, explicitly: every call is a director of every council, no token (the
# service logs a warning saying so). Real deployments use bearer JWTs: README, "Security".
QaAnalytics__Auth__Mode=Development QaAnalytics__DatabasePath="$PWD/data/qa.duckdb" Logging__LogLevel__Default=Warning \
  dotnet run --project src/QaAnalytics.Service -- --smoke
