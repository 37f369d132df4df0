#!/bin/sh
# make-traces.sh BUILD_DIR [NN ...] — regenerate the tutorials' committed traces.
#
# Every tutorial's steps.json says how its demo runs (demo, procs, n, env) and where
# its trace goes (traces/NN-topic.jsonl; a tutorial with several runs has one trace
# per run). This script asks gmpscope-guide for that table, runs each demo with
# `gmpscope run`, keeps the program's output beside the trace (traces/NAME.out), and
# accepts a trace only if `gmpscope check` passes it and it is small (a few MB). A run
# whose trace fails either test is retried a few times (a racy run may record an order
# the checker rejects; each failure is printed, so a runtime or model bug does not go
# unnoticed). Finally
# `gmpscope-guide check` makes sure every guided step still finds its event: a step
# whose event a new recording lacks must be rewritten, not skipped.
#
#   scripts/make-traces.sh build          all tutorials
#   scripts/make-traces.sh build 03 05    only these
#   scripts/make-traces.sh build --screenshots-only [NN ...]
#                                         keep the traces, re-render the screenshots
set -eu

BUILD=${1:?usage: scripts/make-traces.sh BUILD_DIR [--screenshots-only] [NN ...]}
shift
SHOTS_ONLY=0
if [ "${1:-}" = "--screenshots-only" ]; then
  SHOTS_ONLY=1
  shift
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
GMPSCOPE=$BUILD/bin/gmpscope
GUIDE=$BUILD/bin/gmpscope-guide
MAX_BYTES=${GMPS_TRACE_MAX_BYTES:-4000000}   # committed traces stay small
TRIES=${GMPS_TRACE_TRIES:-8}
LIMIT=${GMPS_TRACE_TIMEOUT:-120}           # seconds; a hung run counts as a failed try

for tool in "$GMPSCOPE" "$GUIDE"; do
  if [ ! -x "$tool" ]; then
    echo "make-traces: $tool not found; build first (make build, or cmake --build $BUILD)" >&2
    exit 1
  fi
done

table=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$table" "$tmp"' EXIT
"$GUIDE" runs "$ROOT" >"$table"

wanted() {  # wanted SLUG: is this tutorial among the ones asked for?
  [ $# -eq 1 ] && [ -z "$ONLY" ] && return 0
  for id in $ONLY; do
    case $1 in "$id"-*) return 0 ;; esac
  done
  return 1
}
ONLY="$*"

failed=0
tab=$(printf '\t')
[ $SHOTS_ONLY -eq 1 ] && : >"$table"   # no runs: straight to the screenshots
while IFS="$tab" read -r slug run trace demo procs n env; do
  wanted "$slug" || continue
  [ "$env" = "-" ] && env=""
  out=$ROOT/$trace
  base=${out%.jsonl}
  try=1
  while :; do
    echo "make-traces: $slug ($run): ${env:+$env }gmpscope run $demo --procs $procs --n $n --trace $trace"
    # A clean environment for the runtime's own variables; the run's env on top.
    # shellcheck disable=SC2086 # env is a list of K=V words without spaces
    rm -f "$tmp/trace.jsonl" "$tmp/check"
    (cd "$tmp" && env -u GMPDEBUG -u GMPTRACE -u GMPSTACK -u GOMAXPROCS $env \
      timeout "$LIMIT" "$GMPSCOPE" run "$demo" --procs "$procs" --n "$n" --trace "$tmp/trace.jsonl" \
      >"$tmp/out" 2>&1) || true   # some demos fail on purpose (deadlock exits with 2)
    if [ -s "$tmp/trace.jsonl" ] && "$GMPSCOPE" check "$tmp/trace.jsonl" >"$tmp/check" 2>&1; then
      size=$(wc -c <"$tmp/trace.jsonl")
      [ "$size" -le "$MAX_BYTES" ] && break
      echo "trace is $size bytes, over $MAX_BYTES: if this repeats, make the run smaller (n)" >"$tmp/check"
    fi
    echo "make-traces: $slug ($run): try $try rejected:" >&2
    [ -s "$tmp/trace.jsonl" ] || echo "    no trace written (crashed, or hung past ${LIMIT}s)" >&2
    sed 's/^/    /' "$tmp/check" 2>/dev/null >&2
    tail -3 "$tmp/out" | sed 's/^/    | /' >&2
    try=$((try + 1))
    if [ $try -gt "$TRIES" ]; then
      echo "make-traces: $slug ($run): no valid trace after $TRIES tries" >&2
      failed=1
      continue 2
    fi
  done
  mkdir -p "$(dirname "$out")"
  # The output names the temporary trace path; show the committed one instead.
  sed "s|$tmp/trace.jsonl|$trace|g" "$tmp/out" >"$base.out"
  mv "$tmp/trace.jsonl" "$out"
  echo "make-traces:   -> $trace ($size bytes): $(cat "$tmp/check")"
done <"$table"

if [ $failed -ne 0 ]; then
  exit 1
fi
# Every step must still find its event in the new traces.
"$GUIDE" check "$ROOT"

# Screenshots: every images/step-K.png that a tutorial's README embeds is rendered from
# the committed trace: the viewer in guided mode at step K (gmpscope-guide viewcmds
# names the step's trace, and the bare viewer commands for a viewer without guided mode). Needs a build with the viewer, and a display or
# xvfb-run; without them the existing pictures are kept.
SHOT_SIZE=${GMPS_SHOT_SIZE:-1400x800}
shoot() {  # shoot TRACE OUT.png COMMANDS
  if [ -n "${DISPLAY:-}" ]; then
    "$GMPSCOPE" view "$ROOT/$1" --screenshot "$2" --size "$SHOT_SIZE" --commands "$3"
  else
    xvfb-run -a -s "-screen 0 1600x1000x24" \
      "$GMPSCOPE" view "$ROOT/$1" --screenshot "$2" --size "$SHOT_SIZE" --commands "$3"
  fi
}
if [ -z "${DISPLAY:-}" ] && ! command -v xvfb-run >/dev/null 2>&1; then
  echo "make-traces: no display and no xvfb-run: README screenshots not re-rendered"
  exit 0
fi
for readme in "$ROOT"/tutorials/[0-9][0-9]-*/README.md; do
  [ -f "$readme" ] || continue
  dir=$(dirname "$readme")
  slug=$(basename "$dir")
  wanted "$slug" || continue
  steps=$(grep -o 'images/step-[0-9]*\.png' "$readme" | sed 's/[^0-9]//g' | sort -un)
  [ -n "$steps" ] || continue
  "$GUIDE" viewcmds "$ROOT" "${slug%%-*}" >"$tmp/cmds"
  mkdir -p "$dir/images"
  for k in $steps; do
    line=$(awk -F "$tab" -v k="$k" '$1 == k' "$tmp/cmds")
    if [ -z "$line" ]; then
      echo "make-traces: $slug/README.md shows images/step-$k.png, but there is no step $k" >&2
      exit 1
    fi
    trace=$(printf '%s' "$line" | cut -f2)
    # The viewer's guided mode at step k; a viewer without guided mode gets the bare
    # jump (select the event, zoom, highlight) instead.
    cmds="tutorial=${slug%%-*}; step=$k"
    if ! shoot "$trace" "$dir/images/step-$k.png" "$cmds" 2>"$tmp/shot"; then
      cmds=$(printf '%s' "$line" | cut -f3)
      if ! shoot "$trace" "$dir/images/step-$k.png" "$cmds" 2>"$tmp/shot"; then
        echo "make-traces: screenshots skipped: $(head -1 "$tmp/shot")"
        exit 0
      fi
    fi
    echo "make-traces:   -> tutorials/$slug/images/step-$k.png ($cmds)"
  done
done
