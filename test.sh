#!/usr/bin/env bash
# Runs every test: installs what is missing (GDAL, Azurite), builds, tests, and prints one summary line.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --with-azurite
dotnet build Landslide.Functions.sln -c Release -nologo -v quiet
log=$(mktemp)
set +e
dotnet test Landslide.Functions.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# One plain closing line over all test assemblies, e.g. "tests: 120 passed, 0 failed, 2 skipped".
awk '/(Passed|Failed)! *- *Failed:/ {
  gsub(",", ""); for (i = 1; i <= NF; i++) {
    if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$rc"
