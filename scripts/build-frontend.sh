#!/usr/bin/env bash
# Rebuilds devicebank's committed front-end assets from the pinned npm packages (package-lock.json).
#
#   devicebank/static_src/app.scss  ->  devicebank/static/govuk/govuk-frontend.css  (GOV.UK Frontend + app- styles)
#   govuk-frontend.min.js           ->  devicebank/static/govuk/govuk-frontend.min.js (ES module with initAll)
#
# The output is committed, so running devicebank needs no Node; CI can run this and `git diff --exit-code`.
# devicebank is not a GOV.UK service: no GDS Transport font files and no crown, crest or GOV.UK icons are copied
# (app.scss switches the font to Arial and turns off @font-face).
set -euo pipefail
cd "$(dirname "$0")/.."

out=devicebank/static/govuk
frontend=node_modules/govuk-frontend/dist/govuk

# npm ci only when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

version=$(node -p 'require("./node_modules/govuk-frontend/package.json").version')
banner="/*! GOV.UK Frontend v${version} | MIT licence | © Crown copyright (Government Digital Service) | https://github.com/alphagov/govuk-frontend */"

mkdir -p "$out"
rm -rf "$out/assets"

# CSS. Sass writes a UTF-8 byte order mark first in compressed mode; the licence banner goes after it.
npx --no-install sass --pkg-importer=node --style=compressed --quiet-deps --no-source-map \
  devicebank/static_src/app.scss "$out/govuk-frontend.css.tmp"
{
  head -c 3 "$out/govuk-frontend.css.tmp" | grep -q $'\xEF\xBB\xBF' && printf '\xEF\xBB\xBF' && skip=4 || skip=1
  printf '%s\n' "$banner"
  tail -c +"$skip" "$out/govuk-frontend.css.tmp"
} > "$out/govuk-frontend.css"
rm "$out/govuk-frontend.css.tmp"

# JS. The source map is not shipped, so drop its reference (Django's manifest storage would fail on it).
{
  printf '%s\n' "$banner"
  sed -e 's|//# sourceMappingURL=[^ ]*$||' "$frontend/govuk-frontend.min.js"
} > "$out/govuk-frontend.min.js"

# Images and fonts under $frontend/assets are GOV.UK branding (crown, crest, GOV.UK icons) or the GDS Transport
# typeface, which only GOV.UK services may use; none is copied. Add a file here only if its licence allows us.
allowed_assets=()
for asset in "${allowed_assets[@]}"; do
  mkdir -p "$out/assets/$(dirname "$asset")"
  cp "$frontend/assets/$asset" "$out/assets/$asset"
done

# Fail if the compiled CSS would load a font or any file we do not ship (the manifest storage would fail too).
if grep -q '@font-face' "$out/govuk-frontend.css"; then
  echo "build-frontend: @font-face found in the CSS; GDS Transport must not be used" >&2
  exit 1
fi
if grep -o 'url([^)]*)' "$out/govuk-frontend.css" | grep -qv 'url("data:'; then
  echo "build-frontend: the CSS refers to files: $(grep -o 'url([^)]*)' "$out/govuk-frontend.css" | sort -u)" >&2
  exit 1
fi

ls -l "$out"/govuk-frontend.css "$out"/govuk-frontend.min.js
