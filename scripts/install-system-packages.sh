#!/usr/bin/env bash
# Installs the Debian packages devicebank needs, when they are missing and we may (root, or passwordless sudo);
# otherwise stops at once and prints the exact command to run.
#   libpango/libharfbuzz: WeasyPrint (PDF labels and certificates)
#   chromium: browser tests (Playwright drives Debian's Chromium; we never download a browser)
#   nodejs/npm: only to fetch axe-core for the browser tests
# Usage: scripts/install-system-packages.sh [--browser]
#   --browser (what `make test-browser` passes; also implied by DEVICEBANK_BROWSER_TESTS=1 or CI=true) adds Chromium
#   and Node. DEVICEBANK_CHROMIUM=/path/to/chromium uses a browser you already have instead of Debian's package.
set -euo pipefail

browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) browser=1 ;;
    *) echo "usage: $0 [--browser]" >&2; exit 2 ;;
  esac
done
[[ "${DEVICEBANK_BROWSER_TESTS:-}" == "1" || "${CI:-}" == "true" ]] && browser=1

wanted=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [[ $browser -eq 1 ]]; then
  if [[ -n "${DEVICEBANK_CHROMIUM:-}" ]]; then
    [[ -x "$DEVICEBANK_CHROMIUM" ]] || { echo "DEVICEBANK_CHROMIUM=$DEVICEBANK_CHROMIUM is not an executable file." >&2; exit 1; }
  else
    wanted+=(chromium)
  fi
  command -v npm >/dev/null 2>&1 || wanted+=(nodejs npm)
fi

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing Debian packages: ${missing[*]}, and this machine has no apt-get. Install their equivalents" >&2
  echo "(for the browser tests, any Chromium: then run with DEVICEBANK_CHROMIUM=/path/to/chromium)." >&2
  exit 1
fi
if [[ $(id -u) -eq 0 ]]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "Missing Debian packages: ${missing[*]}. Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || echo "apt-get update failed; trying with the package lists we have" >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
