#!/usr/bin/env bash
# Cold start to a shown window and idle RSS of the desktop app, under Xvfb, against whatever engine
# --host names (a missing engine is fine: the window still opens and says so).
# Usage: bench/desktop/measure.sh [--host unix:///path.sock]   (build first: mvn -pl app-desktop -am package -DskipTests)
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
log=$(mktemp)
export XDG_DATA_HOME=$(mktemp -d)
start=$(date +%s%3N)
BERTH_JAVA_OPTS="-Dberth.desktop.reportStartup=true -Dberth.desktop.launchMillis=$start -Dprism.order=sw" \
  xvfb-run -a -s "-screen 0 1400x900x24" "$here/bin/berth-desktop" "$@" >"$log" 2>&1 &
runner=$!
for _ in $(seq 1 300); do grep -q "window shown after" "$log" && break; sleep 0.1; done
grep "window shown after" "$log" || { cat "$log"; kill "$runner"; exit 1; }
sleep 10
pid=$(pgrep -n -f "dev.berth.desktop.DesktopMain" || true)
[ -n "$pid" ] && grep VmRSS "/proc/$pid/status" | sed 's/^/idle after 10 s: /'
[ -n "$pid" ] && kill "$pid"
wait "$runner" 2>/dev/null || true
rm -rf "$log" "$XDG_DATA_HOME"
