#!/bin/sh
# make bench: each workload of ../shared/anchors/go on this runtime and on real Go,
# alternating, 5 runs each, GOMAXPROCS=2; prints the medians side by side and
# which of the targets (at most Go's time, traced within 1.5x, yield 2x) it missed.
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
anchor="$here/../shared/anchors/go/run.sh"
runs=${RUNS:-5}
export GOMAXPROCS=${GOMAXPROCS:-2}
if ! command -v go >/dev/null 2>&1; then "$here/scripts/install-deps.sh" --with-go; fi
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# t/untr is the ratio of the two medians; paired is the median of each round's
# traced / untraced, runs a few seconds apart: this VM's speed drifts by up to 2x
# from minute to minute, and a round's two runs mostly share it.
printf "%-10s %12s %12s %8s %14s %8s %8s %14s\n" workload gmpscope_ns go_ns ratio traced_ns t/untr paired no_sysmon_ns
verdict=""
for w in "spawn 1000000" "pingpong 1000000" "yield 1000000" "fanout 20000"; do
  name=${w%% *}
  ours=""; go=""; traced=""; nosys=""; paired=""
  for i in $(seq "$runs"); do
    o=$("$build/bin/gmpscope-bench" $w | sed 's/.*per_op_ns=//')
    ours="$ours $o"
    go="$go $("$anchor" $w | sed 's/.*per_op_ns=//')"
    sync; t=$("$build/bin/gmpscope-bench" $w --trace /tmp/gmpscope-bench-trace.jsonl | sed 's/.*per_op_ns=//')
    traced="$traced $t"
    paired="$paired $(awk -v t="$t" -v o="$o" 'BEGIN { printf "%.3f", t / o }')"
    nosys="$nosys $(GMPDEBUG=sysmonoff=1 "$build/bin/gmpscope-bench" $w | sed 's/.*per_op_ns=//')"
  done
  mo=$(echo $ours | tr ' ' '\n' | median); mg=$(echo $go | tr ' ' '\n' | median)
  mt=$(echo $traced | tr ' ' '\n' | median)
  mn=$(echo $nosys | tr ' ' '\n' | median)
  mp=$(echo $paired | tr ' ' '\n' | median)
  awk -v n="$name" -v o="$mo" -v g="$mg" -v t="$mt" -v s="$mn" -v pr="$mp" \
    'BEGIN { printf "%-10s %12s %12s %8.2f %14s %8.2f %8.2f %14s\n", n, o, g, o / g, t, t / o, pr, s }'
  # The targets (issue 2): at most Go's time; traced within 1.5x (yield 2x, fanout none).
  limit=1.5; [ "$name" = yield ] && limit=2.0; [ "$name" = fanout ] && limit=""
  verdict="$verdict$(awk -v n="$name" -v o="$mo" -v g="$mg" -v t="$mt" -v l="$limit" 'BEGIN {
    if (o > g) printf " %s: slower than Go (%.2f);", n, o / g
    if (l != "" && t / o > l) printf " %s: traced %.2fx, over %sx;", n, t / o, l }')"
done
echo "targets (ratio <= 1.00; traced / untraced <= 1.5, yield 2.0):${verdict:- all met}"
rm -f /tmp/gmpscope-bench-trace.jsonl
