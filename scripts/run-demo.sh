#!/bin/sh
# make run: trace the startup tutorial's demo (hello) and open the viewer on it.
# Without a display, write the trace and a screenshot of the viewer instead.
set -eu
build=${1:-build}
out="$build/run"
mkdir -p "$out"
trace="$out/hello.jsonl"
"$build/bin/gmpscope" run hello --trace "$trace"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$build/bin/gmpscope" tutorial 01
fi
shot="$out/hello.png"
if command -v xvfb-run >/dev/null 2>&1; then
  xvfb-run -a -s "-screen 0 1920x1080x24" "$build/bin/gmpscope" view "$trace" --screenshot "$shot" --size 1600x900
  echo "No display here. The trace is $trace and a screenshot of the viewer is $shot."
  echo "On a desktop, run: $build/bin/gmpscope tutorial 01"
else
  echo "No display here. The trace is $trace; open it with: $build/bin/gmpscope view $trace"
fi
