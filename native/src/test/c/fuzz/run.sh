#!/bin/sh
# Fuzzes the C helper's decoders with libFuzzer (Debian's clang: apt-get install clang):
#   fuzz_plan     the launch plan decoder (plan.c) and its accessors
#   fuzz_control  the monitor's control-socket decoder (control.c): request lines, attach frames
#
#   native/src/test/c/fuzz/run.sh [SECONDS] [TARGET...]   fuzz each target (default 60 s, both)
#   native/src/test/c/fuzz/run.sh replay                  run every seed and regression once
#
# Built with AddressSanitizer and UndefinedBehaviorSanitizer (any finding aborts). Corpora grow
# in target/fuzz-c/<target>/corpus; seeds and crashers that became regressions are committed in
# seeds/<target>/ and regressions/<target>/. A crash leaves crash-* in target/fuzz-c/<target>/.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../../../target/fuzz-c"
seconds=60
if [ "${1:-}" = replay ]; then
  mode=replay
  shift
else
  mode=fuzz
  if [ $# -gt 0 ]; then seconds="$1"; shift; fi
fi
targets="${*:-fuzz_plan fuzz_control}"
command -v clang >/dev/null || { echo "run.sh: clang is not installed (apt-get install clang; scripts/test.sh does)" >&2; exit 2; }
mkdir -p "$out"
for t in $targets; do
  dir="$out/$t"
  mkdir -p "$dir/corpus"
  extra=""
  [ "$t" = fuzz_plan ] && extra="$here/../../../main/c/plan.c"
  clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -o "$dir/$t" "$here/$t.c" $extra "$here/../../../main/c/utils.c" "$here/../../../main/c/error.c"
  inputs="$here/seeds/$t"
  [ -d "$here/regressions/$t" ] && inputs="$inputs $here/regressions/$t"
  if [ "$mode" = replay ]; then
    # shellcheck disable=SC2086
    (cd "$dir" && "./$t" -runs=0 $inputs)
  else
    # shellcheck disable=SC2086
    (cd "$dir" && "./$t" -max_total_time="$seconds" -max_len=20000 -timeout=10 -print_final_stats=1 corpus $inputs)
  fi
done
