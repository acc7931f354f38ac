#!/usr/bin/env bash
# Runs every benchmark of the project against a Kona daemon built from this checkout and the same
# work through containerd's CRI (Debian's containerd + runc, installed when missing, started on its
# own socket and directories under /tmp and stopped afterwards), then writes a Markdown table:
# figure, Kona, containerd, ratio. Arguments go to the report: --quick, --containerd=off, --out=FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

need_root
ensure_packages "${RUNTIME_PACKAGES[@]}" "${PULL_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${BENCH_PACKAGES[@]}"
JAVA_HOME="$(find_jdk25)"
export JAVA_HOME
out="$PWD/target/benchmark-report.md"
for arg in "$@"; do
  case "$arg" in --out=*) out="$(readlink -f "${arg#--out=}")" ;; esac
done
mkdir -p "$(dirname "$out")"
# The benchmark module reads the others' test kits from the local Maven repository.
./mvnw -B -q -DskipTests install
./mvnw -B -Pbench -DskipTests -pl conformance verify -Dbench.args="--out=$out $*"
echo "kona: benchmark report in $out" >&2
