#!/usr/bin/env bash
# Renders berth.svg to the PNG sizes the app and the tray use (berth-16.png … berth-256.png).
# Needs rsvg-convert (Debian: librsvg2-bin). The PNGs are committed, so the build does not need it.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
for size in 16 32 64 128 256; do
  rsvg-convert -w "$size" -h "$size" berth.svg -o "berth-$size.png"
done
