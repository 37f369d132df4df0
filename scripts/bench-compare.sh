#!/bin/sh
# make bench: each workload of ../shared/anchors/go on this runtime and on real Go,
# alternating, 5 runs each, GOMAXPROCS=2; prints the medians side by side.
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
anchor="$here/../shared/anchors/go/run.sh"
runs=${RUNS:-5}
export GOMAXPROCS=${GOMAXPROCS:-2}
if ! command -v go >/dev/null 2>&1; then "$here/scripts/install-deps.sh" --with-go; fi
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf "%-10s %12s %12s %8s %14s %8s %14s\n" workload gmpscope_ns go_ns ratio traced_ns t/untr no_sysmon_ns
for w in "spawn 1000000" "pingpong 1000000" "yield 1000000" "fanout 20000"; do
  name=${w%% *}
  ours=""; go=""; traced=""; nosys=""
  for i in $(seq "$runs"); do
    ours="$ours $("$build/bin/gmpscope-bench" $w | sed 's/.*per_op_ns=//')"
    go="$go $("$anchor" $w | sed 's/.*per_op_ns=//')"
    sync; traced="$traced $("$build/bin/gmpscope-bench" $w --trace /tmp/gmpscope-bench-trace.jsonl | sed 's/.*per_op_ns=//')"
    nosys="$nosys $(GMPDEBUG=sysmonoff=1 "$build/bin/gmpscope-bench" $w | sed 's/.*per_op_ns=//')"
  done
  mo=$(echo $ours | tr ' ' '\n' | median); mg=$(echo $go | tr ' ' '\n' | median)
  mt=$(echo $traced | tr ' ' '\n' | median)
  mn=$(echo $nosys | tr ' ' '\n' | median)
  awk -v n="$name" -v o="$mo" -v g="$mg" -v t="$mt" -v s="$mn" \
    'BEGIN { printf "%-10s %12s %12s %8.2f %14s %8.2f %14s\n", n, o, g, o / g, t, t / o, s }'
done
rm -f /tmp/gmpscope-bench-trace.jsonl
