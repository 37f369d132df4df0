#!/bin/sh
# Installs the runtime package into a temporary prefix, builds runtime/example
# against it with find_package, runs it, and checks its output and its trace.
# usage: install_example.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cmake -S "$src/runtime/example" -B "$tmp/ex" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/ex" >/dev/null
out=$(GMPTRACE="$tmp/primes.jsonl" "$tmp/ex/primes" 10 | tr '\n' ' ')
[ "$out" = "2 3 5 7 11 13 17 19 23 29 " ] || { echo "unexpected output: $out"; exit 1; }
head -n 1 "$tmp/primes.jsonl" | grep -q '"format":"gmpscope-trace"' || { echo "no trace header"; exit 1; }
grep -q '"step":"main_main"' "$tmp/primes.jsonl" || { echo "trace lacks the startup sequence"; exit 1; }
echo "installed package builds and runs the example"
