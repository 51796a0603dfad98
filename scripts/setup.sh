#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine, idempotently:
# GDAL from Debian (native library + the gdalinfo/ogrinfo checkers), Debian's chromium (the web map's browser tests
# drive it through puppeteer-core; nothing downloads a browser), and the npm packages (Azurite, the web map's bundle
# tools, puppeteer-core) when asked.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -e /usr/lib/x86_64-linux-gnu/libgdal.so.32 ] || need_apt+=(libgdal32)
command -v gdalinfo >/dev/null 2>&1 || need_apt+=(gdal-bin)
/usr/bin/python3 -c "from osgeo import gdal" >/dev/null 2>&1 || need_apt+=(python3-gdal)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} from Debian"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "${1:-}" = "--with-azurite" ] && { [ ! -x node_modules/.bin/azurite ] || [ ! -d node_modules/puppeteer-core ] || [ ! -d node_modules/ol ]; }; then
  echo "setup: installing Azurite, the web map's build tools and puppeteer-core from npm"
  npm ci --no-audit --no-fund --loglevel=error
fi
