#!/usr/bin/env bash
# Render the example slide decks to PNG pages for a look: pptx → PDF (LibreOffice) → PNG (pdftoppm).
#   bash scripts/preview-slides.sh [OUT]      (installs Debian's libreoffice-impress when missing)
set -euo pipefail
out=${1:-out/slides}
mkdir -p "$out"
if ! command -v soffice >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-impress >/dev/null
  else
    echo "LibreOffice (soffice) is needed: apt-get install libreoffice-impress" >&2; exit 1
  fi
fi
for ws in workshops/*/; do
  name=$(basename "$ws")
  .venv/bin/journeytools export "$ws" --to pptx -o "$out/$name.pptx"
  soffice --headless --convert-to pdf --outdir "$out" "$out/$name.pptx" >/dev/null
  pdftoppm -r 60 -png "$out/$name.pdf" "$out/$name"
  echo "slides: $out/$name-*.png"
done
