#!/bin/sh
# Bad input to `gmpscope run` and friends: one clear line on stderr, exit code 1,
# and no file left behind. usage: bad_input.sh GMPSCOPE
set -u
g=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() {  # expect NAME REGEX -- command...
  name=$1 re=$2
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ "$rc" -ne 1 ]; then echo "FAIL $name: exit $rc, want 1"; fail=1; return; fi
  if ! grep -Eq -e "$re" "$tmp/err"; then echo "FAIL $name: stderr lacks /$re/:"; cat "$tmp/err"; fail=1; return; fi
  echo "ok   $name"
}
expect unknown-demo 'unknown demo "nosuch"' -- "$g" run nosuch
expect unwritable-trace '/nonexistent-dir/t.jsonl: cannot write trace' -- "$g" run hello --trace /nonexistent-dir/t.jsonl
expect bad-flag 'gmpscope run: .*not expected: --bogus \(see gmpscope run --help\)' -- "$g" run hello --bogus
expect size-without-n 'not expected: 5000 \(a demo.s size goes in --n: gmpscope run spawn --n 5000\)' -- "$g" run spawn 5000
expect bad-procs 'procs: Value 0 not in range' -- "$g" run hello --procs 0
expect unknown-tutorial 'unknown tutorial "99"' -- "$g" tutorial 99
expect missing-trace 'missing.jsonl: cannot read' -- "$g" check "$tmp/missing.jsonl"
# A good run leaves exactly the trace, no temporary file.
"$g" run hello --trace "$tmp/ok.jsonl" >/dev/null 2>&1 || { echo "FAIL good run"; fail=1; }
[ -f "$tmp/ok.jsonl" ] && [ ! -e "$tmp/ok.jsonl.tmp" ] || { echo "FAIL good run left no trace or a .tmp"; fail=1; }
exit $fail
