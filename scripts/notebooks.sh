#!/usr/bin/env bash
# Executes every notebook in notebooks/ headless through Jupyter (nbconvert and the .NET C# kernel),
# against the published database, and writes the executed copies (with their outputs) to an output
# folder outside the repository's notebooks/. Fails if a cell fails or writes to standard error
# (a compiler warning included), as Jupyter would show it under the cell.
#
#   bash scripts/notebooks.sh [OUT_DIR [NOTEBOOK...]]
#
# OUT_DIR defaults to data/notebooks, the notebooks to notebooks/*.ipynb; the database is QA_DB if
# set, else data/qa.duckdb. Exit 0 all ran cleanly, 1 a notebook failed, 3 no database.
#
# First run installs Jupyter (Debian's jupyter-nbconvert, jupyter-client) and the .NET Interactive
# kernel (scripts/install-test-deps.sh jupyter); run `bash scripts/demo.sh` before, for a database.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-data/notebooks}"
shift || true
[ "$#" -eq 0 ] && set -- notebooks/*.ipynb
db="${QA_DB:-$PWD/data/qa.duckdb}"
if [ ! -e "$db" ]; then
  echo "notebooks: there is no database at $db; run bash scripts/demo.sh first, or set QA_DB" >&2
  exit 3
fi
bash scripts/install-test-deps.sh jupyter
export PATH="$PATH:$HOME/.dotnet/tools"
export DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
mkdir -p "$out"
status=0
for notebook in "$@"; do
  start=$SECONDS
  # The kernel is an ASP.NET host: only its warnings reach the terminal. nbformat warns about cell ids
  # that the .NET Interactive format does not write.
  if ! QA_DB="$(realpath "$db")" Logging__LogLevel__Default=Warning PYTHONWARNINGS=ignore jupyter nbconvert --to notebook --execute --log-level=ERROR \
      --ExecutePreprocessor.timeout=600 --output-dir "$out" "$notebook"; then
    echo "notebooks: $notebook failed (see above)" >&2
    status=1
    continue
  fi
  # nbconvert stops on an exception but not on standard error output: look for it in the result.
  if ! python3 - "$out/$(basename "$notebook")" <<'PY'
import json, sys
nb = json.load(open(sys.argv[1]))
count = 0
bad = []
for cell in nb["cells"]:
    if cell["cell_type"] != "code":
        continue
    count += 1
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error" or (output.get("output_type") == "stream" and output.get("name") == "stderr"):
            text = output.get("text") or "\n".join(output.get("traceback", []))
            bad.append(f"code cell {count} (execution count {cell.get('execution_count')}): {''.join(text).strip()}")
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
  then
    echo "notebooks: $notebook wrote to standard error (above)" >&2
    status=1
    continue
  fi
  echo "notebooks: $notebook ran in $((SECONDS - start)) s → $out/$(basename "$notebook")"
done
exit $status
