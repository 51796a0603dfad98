#!/usr/bin/env bash
# GPU throughput bench, one command. On a machine with an NVIDIA GPU (driver + CUDA 13 + cuDNN 9) and the .NET SDK:
# builds the bench and the inference server with the CUDA provider (-p:OnnxRuntimeFlavor=Gpu), measures tiles/s of
# untrained RAU-Nets (random initialisation: only speed matters) at widths 8, 32, 128, float32 and float16 variants,
# batch sizes 8-64, in process and through the inference service (ratio), with GPU memory from nvidia-smi, and writes
# the tables into docs/BENCHMARKS.md between the gpu.sh markers.
#   benchmarks/gpu.sh            full run (needs a GPU; add --force to run it on CPU anyway, slowly)
#   benchmarks/gpu.sh --quick    CPU fallback, tiny sizes (width 8, batches 2 and 4), about a minute: CI runs it so the
#                                script cannot rot; prints the tables (and writes them to --out FILE if given)
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
force=0
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --force) force=1 ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "gpu.sh: unknown argument '$1' (expected --quick, --force, --out FILE)" >&2; exit 2 ;;
  esac
  shift
done

if nvidia-smi -L >/dev/null 2>&1; then
  flavor=Gpu
  echo "GPU: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | head -n 1)"
else
  flavor=Cpu
  echo "no NVIDIA GPU found (nvidia-smi): CPU fallback"
  if [ "$quick" = 0 ] && [ "$force" = 0 ]; then
    echo "gpu.sh: the full run needs a GPU; use --quick (CPU, tiny sizes) or --force" >&2
    exit 2
  fi
fi

if [ "$flavor" = Gpu ]; then
  # A separate artifacts folder: the GPU build drops the CPU ONNX Runtime natives, which the CPU build needs.
  artifacts="${GPU_BENCH_ARTIFACTS:-/tmp/landslide-gpu-bench}"
  dotnet build benchmarks/Landslide.Gpu.Bench -c Release -nologo -v quiet -p:OnnxRuntimeFlavor=Gpu --artifacts-path "$artifacts"
else
  artifacts="artifacts"
  dotnet build benchmarks/Landslide.Gpu.Bench -c Release -nologo -v quiet
fi
bench="$artifacts/bin/Landslide.Gpu.Bench/release_linux-x64/Landslide.Gpu.Bench.dll"
[ -f "$bench" ] || bench="$artifacts/bin/Landslide.Gpu.Bench/release/Landslide.Gpu.Bench.dll"

fragment=$(mktemp)
trap 'rm -f "$fragment"' EXIT
if [ "$quick" = 1 ]; then
  dotnet "$bench" --widths 8 --batches 2,4 --calls 2 --service-batch 4 --out "$fragment" --command "benchmarks/gpu.sh --quick"
else
  dotnet "$bench" --widths 8,32,128 --batches 8,16,32,64 --calls 20 --service-batch 32 --out "$fragment" --command "benchmarks/gpu.sh"
fi

# The bench must have produced both tables with a figure in every row, or the script has rotted.
grep -Eq '^\| 8 \| float32 \| [0-9]+ \| [A-Za-z]+ExecutionProvider \| [0-9.]+ \|' "$fragment" || { echo "gpu.sh: no in-process figures" >&2; cat "$fragment" >&2; exit 1; }
grep -Eq '^\| 8 \| float16 \| ' "$fragment" || { echo "gpu.sh: no float16 figures" >&2; exit 1; }
grep -Eq '^\| 8 \| [0-9]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \|$' "$fragment" || { echo "gpu.sh: no service figures" >&2; exit 1; }
cat "$fragment"
[ -n "$out" ] && cp "$fragment" "$out"

if [ "$quick" = 0 ]; then
  # Replace what lies between the markers in docs/BENCHMARKS.md with this run's tables.
  python3 - "$fragment" docs/BENCHMARKS.md <<'PY'
import sys
fragment, doc = open(sys.argv[1]).read(), open(sys.argv[2]).read()
begin, end = "<!-- gpu.sh:begin -->", "<!-- gpu.sh:end -->"
if begin not in doc or end not in doc:
    sys.exit("docs/BENCHMARKS.md lacks the gpu.sh markers")
head, rest = doc.split(begin, 1)
_, tail = rest.split(end, 1)
open(sys.argv[2], "w").write(head + begin + "\n" + fragment + end + tail)
PY
  echo "recorded in docs/BENCHMARKS.md"
fi
