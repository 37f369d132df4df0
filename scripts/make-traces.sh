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
set -eu

BUILD=${1:?usage: scripts/make-traces.sh BUILD_DIR [NN ...]}
shift
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
