#!/usr/bin/env bash
# System packages the project needs on Debian: Chromium (browser tests, optional PDF route),
# Pango and fonts (WeasyPrint PDFs), poppler (looking at PDFs), LibreOffice Calc and Impress (xlsx round
# trips, decks rendered as a client's PowerPoint would). Installs only what is missing;
# never downloads a browser of its own.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# LibreOffice (no GUI) opens the xlsx exports in tests as a client's spreadsheet would
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
for pkg in libreoffice-impress-nogui libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-liberation fonts-noto-core; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing system packages (${need[*]}) and no apt-get: install them by hand" >&2; exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "missing system packages (${need[*]}); run as root to install them" >&2; exit 0; fi
fi
echo "installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
