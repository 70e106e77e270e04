#!/usr/bin/env bash
# Installs the Debian packages devicebank needs, when they are missing and we may (root, or passwordless sudo).
#   libpango/libharfbuzz: WeasyPrint (PDF labels and certificates)
#   chromium: browser tests (Playwright drives Debian's Chromium; we never download a browser)
#   nodejs/npm: only to fetch axe-core for the browser tests
set -euo pipefail

wanted=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [[ "${DEVICEBANK_BROWSER_TESTS:-}" == "1" || "${CI:-}" == "true" ]]; then
  wanted+=(chromium)
  command -v npm >/dev/null 2>&1 || wanted+=(nodejs npm)
fi

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  SUDO=""
elif sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || echo "apt-get update failed; trying with the package lists we have" >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
