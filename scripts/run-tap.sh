#!/usr/bin/env bash
# Runs tap and, when it fails, repeats every failing assertion (with its
# diagnostics) at the end of the output, so a log read from its tail still
# names the failing files.
set -uo pipefail
PATH="$(cd "$(dirname "$0")/.." && pwd)/node_modules/.bin:$PATH"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
tap "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo
  echo "# ---- failures (repeated from above) ----"
  # A failing assertion's "not ok" line and its YAML diagnostics (up to 14 lines).
  grep -nE -A14 '^\s*not ok ' "$log" | grep -vE -- '-\s*ok [0-9]' | head -400
fi
exit "$status"
