#!/usr/bin/env bash
# Checks the Azure resources offline: `bicep build` of every .bicep file, `bicep lint` (zero warnings),
# `bicep build-params` of every .bicepparam file. The Bicep CLI comes from NuGet only (tools/bicep).
#
#   infra/bicep.sh                 check; compiled ARM JSON goes to $BICEP_OUT (default: a temp folder)
#   infra/bicep.sh --print-path    restore the CLI and print the path of the bicep binary
#   BICEP_ROOT=DIR infra/bicep.sh  check DIR/bicep instead of this repository's
#
# Exit codes: 0 clean, 1 a diagnostic (error or warning) was reported, 2 the CLI could not be obtained.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# BICEP_ROOT: the folder holding bicep/ (default: this repository); tests point it at a scratch copy.
root="${BICEP_ROOT:-$repo}"
artifacts="${BICEP_ARTIFACTS:-${TMPDIR:-/tmp}/art-bicep-tool}"

bicep_path() {
  # Restore only the tiny tools project; its artifacts stay out of the repo's artifacts folder.
  dotnet restore "$repo/tools/bicep/bicep.csproj" --artifacts-path "$artifacts" --verbosity quiet >&2 || return 2
  local path
  path="$(dotnet msbuild "$repo/tools/bicep/bicep.csproj" -nologo -getProperty:BicepPath -p:ArtifactsPath="$artifacts")"
  path="$(realpath -m "$path")"
  [[ -f "$path" ]] || { echo "bicep.sh: Bicep CLI not found at '$path' after restore" >&2; return 2; }
  # NuGet extracts without the execute bit on some systems.
  [[ -x "$path" ]] || chmod +x "$path"
  printf '%s\n' "$path"
}

BICEP="$(bicep_path)" || exit 2
if [[ "${1:-}" == "--print-path" ]]; then
  printf '%s\n' "$BICEP"
  exit 0
fi

out="${BICEP_OUT:-$(mktemp -d)}"
mkdir -p "$out"
log="$out/diagnostics.log"
: >"$log"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 BICEP_TRACING_ENABLED=false

cd "$root"
mapfile -t bicep_files < <(find bicep -name '*.bicep' | sort)
mapfile -t param_files < <(find bicep -name '*.bicepparam' | sort)
[[ ${#bicep_files[@]} -gt 0 ]] || { echo "bicep.sh: no .bicep files under bicep/" >&2; exit 1; }

status=0
run() {
  # Every diagnostic line is "path(line,col) : Level CODE: message"; any of them fails the check.
  local output rc=0
  output="$("$BICEP" "$@" 2>&1)" || rc=$?
  if [[ -n "$output" ]]; then printf '%s\n' "$output" | tee -a "$log"; fi
  if [[ $rc -ne 0 ]] || grep -Eq ': (Error|Warning|Info) ' <<<"$output"; then status=1; fi
}

# One CLI start per step (each start costs seconds): --pattern covers every template, modules included.
echo "build  ${#bicep_files[@]} templates under bicep/"
run build --pattern 'bicep/**/*.bicep' --outdir "$out"
echo "lint   ${#bicep_files[@]} templates under bicep/"
run lint --pattern 'bicep/**/*.bicep'
for f in "${param_files[@]}"; do
  rel="${f#bicep/}"
  echo "params $f"
  run build-params "$f" --outfile "$out/${rel%.bicepparam}.parameters.json"
done

if [[ $status -eq 0 ]]; then
  echo "bicep.sh: ${#bicep_files[@]} templates and ${#param_files[@]} parameter files built and linted, 0 diagnostics; output in $out"
else
  echo "bicep.sh: diagnostics reported (see above and $log)" >&2
fi
exit $status
