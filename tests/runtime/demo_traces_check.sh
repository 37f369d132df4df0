#!/bin/sh
# demo_traces_check.sh GMPSCOPE OUTDIR — every demo that `gmpscope list` shows runs
# with --trace, and `gmpscope check` must accept its trace. A demo must exit 0, except
# one that ends in Go's deadlock error (exit 2), whose trace must still be written.
# Then spawn and steal run with more Ps than this machine has cores, three times each:
# Ms are descheduled between a queue operation and its event, where a thief's and an
# owner's events could come out in an order the queues did not have.
set -u
bin=$1
out=$2
mkdir -p "$out" || exit 1

demos=$("$bin" list | awk 'NR > 1 && NF == 0 { exit } NR > 1 { print $1 }')  # the table ends at a blank line
if [ -z "$demos" ]; then
  echo "FAIL: gmpscope list shows no demos"
  exit 1
fi

fail=0
for d in $demos; do
  trace="$out/$d.jsonl"
  rm -f "$trace"
  "$bin" run "$d" --trace "$trace" >"$out/$d.stdout" 2>"$out/$d.stderr"
  code=$?
  if [ "$code" -ne 0 ]; then
    if [ "$code" -eq 2 ] && grep -q '^fatal error: all goroutines are asleep - deadlock!' "$out/$d.stderr"; then
      :  # the deadlock demo: Go's message and status 2 are what it shows
    else
      echo "FAIL: $d: gmpscope run exited $code"
      sed 's/^/    /' "$out/$d.stderr" | head -20
      fail=1
      continue
    fi
  fi
  if [ ! -s "$trace" ]; then
    echo "FAIL: $d: no trace written to $trace"
    fail=1
    continue
  fi
  if "$bin" check "$trace" >"$out/$d.check" 2>&1; then
    echo "ok:   $d ($(wc -l <"$trace") lines)"
  else
    echo "FAIL: $d: gmpscope check $trace"
    sed 's/^/    /' "$out/$d.check" | head -20
    fail=1
  fi
done
for i in 1 2 3; do
  for run in "4 spawn 100000" "8 steal 400"; do
    set -- $run
    trace="$out/over-$2-$i.jsonl"
    rm -f "$trace"
    if ! "$bin" run "$2" --procs "$1" --n "$3" --trace "$trace" >/dev/null 2>"$out/over.stderr"; then
      echo "FAIL: GOMAXPROCS=$1 gmpscope run $2 $3 failed"
      sed 's/^/    /' "$out/over.stderr" | head -20
      fail=1
    elif "$bin" check "$trace" >"$out/over.check" 2>&1; then
      echo "ok:   GOMAXPROCS=$1 $2 $3 (run $i)"
    else
      echo "FAIL: GOMAXPROCS=$1 $2 $3 (run $i): gmpscope check $trace"
      sed 's/^/    /' "$out/over.check" | head -20
      fail=1
    fi
  done
done
exit $fail
