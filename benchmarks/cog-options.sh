#!/usr/bin/env bash
# Measures the COG output options with GDAL's own tools on one float32 probability raster (any GeoTIFF; e.g. a
# probability.tif written by `landslide map`): the temporary rows file as CogWriter writes it (DEFLATE level 1, or
# uncompressed), then the COG copy with and without NUM_THREADS, with overviews built by the COG driver, or built on
# the temporary file first (gdaladdo) and reused (COG OVERVIEWS=FORCE_USE_EXISTING, or GTiff COPY_SRC_OVERVIEWS=YES),
# and the DEFLATE level of the COG's blocks (6 = GDAL's default, 1 = CogWriteOptions' default).
# Each result is checked with GDAL's COG validator. Usage: benchmarks/cog-options.sh PROBABILITY.tif [WORKDIR]
set -euo pipefail
src="$1"
work="${2:-$(mktemp -d)}"
mkdir -p "$work"
cog="-of COG -co COMPRESS=DEFLATE -co PREDICTOR=YES -co BLOCKSIZE=512 -co OVERVIEW_RESAMPLING=AVERAGE -co BIGTIFF=IF_SAFER"
tiled="-co TILED=YES -co BLOCKXSIZE=512 -co BLOCKYSIZE=512"
px=$(gdalinfo -json "$src" | /usr/bin/python3 -c "import json,sys; s=json.load(sys.stdin)['size']; print(s[0]*s[1])")
validate() { /usr/bin/python3 -c "
import sys
from osgeo import gdal
from osgeo_utils.samples import validate_cloud_optimized_geotiff as v
r = v.validate(gdal.Open(sys.argv[1]), full_check=True)
errors = r[1] if len(r) == 3 else r[0]
print('valid COG' if not errors else 'INVALID: ' + '; '.join(errors))" "$1"; }
measure() {
  local name="$1"; shift
  local start end
  start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  /usr/bin/python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); print(f'{sys.argv[3]:<60} {t:6.2f} s {int(sys.argv[4])/t/1e6:6.1f} Mpx/s', end='  ')" "$start" "$end" "$name" "$px"
  if [ -f "$work/out.tif" ]; then validate "$work/out.tif"; rm -f "$work/out.tif"; else echo "(temporary file)"; fi
}
echo "pixels: $px; load: $(cut -d' ' -f1-3 /proc/loadavg)"
measure "write the rows file: DEFLATE level 1 (baseline)" gdal_translate -q $tiled -co COMPRESS=DEFLATE -co ZLEVEL=1 "$src" "$work/rows-deflate.tif"
measure "write the rows file: uncompressed (taken)" gdal_translate -q $tiled "$src" "$work/rows-raw.tif"
measure "baseline: deflate-1 rows -> COG, 1 thread" gdal_translate -q $cog -co OVERVIEWS=AUTO "$work/rows-deflate.tif" "$work/out.tif"
measure "raw rows -> COG, 1 thread" gdal_translate -q $cog -co OVERVIEWS=AUTO "$work/rows-raw.tif" "$work/out.tif"
measure "raw rows -> COG, NUM_THREADS=ALL_CPUS" gdal_translate -q $cog -co OVERVIEWS=AUTO -co NUM_THREADS=ALL_CPUS "$work/rows-raw.tif" "$work/out.tif"
measure "deflate-1 rows -> COG, NUM_THREADS=ALL_CPUS" gdal_translate -q $cog -co OVERVIEWS=AUTO -co NUM_THREADS=ALL_CPUS "$work/rows-deflate.tif" "$work/out.tif"
ovr() { cp "$work/rows-raw.tif" "$work/rows-ovr.tif"; gdaladdo -q -r average --config GDAL_NUM_THREADS ALL_CPUS "$work/rows-ovr.tif" 2 4 8 16 >/dev/null; }
copysrc() { ovr; gdal_translate -q -of GTiff $tiled -co COMPRESS=DEFLATE -co PREDICTOR=3 -co COPY_SRC_OVERVIEWS=YES -co NUM_THREADS=ALL_CPUS "$work/rows-ovr.tif" "$work/out.tif"; }
existing() { ovr; gdal_translate -q $cog -co OVERVIEWS=FORCE_USE_EXISTING -co NUM_THREADS=ALL_CPUS "$work/rows-ovr.tif" "$work/out.tif"; }
measure "raw rows + gdaladdo, GTiff COPY_SRC_OVERVIEWS=YES" copysrc
measure "raw rows + gdaladdo, COG OVERVIEWS=FORCE_USE_EXISTING (taken)" existing
for level in 6 3 1; do
  lvl() { ovr; gdal_translate -q $cog -co OVERVIEWS=FORCE_USE_EXISTING -co NUM_THREADS=1 -co LEVEL=$level "$work/rows-ovr.tif" "$work/out.tif"; ls -l "$work/out.tif" | awk '{printf "(%d bytes) ", $5}'; }
  measure "raw rows + gdaladdo, FORCE_USE_EXISTING, 1 thread, DEFLATE LEVEL=$level" lvl
done
rm -rf "$work"
