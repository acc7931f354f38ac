#!/usr/bin/env bash
# Installs what the tests need and runs every test: unit tests, kernel tests (as root), and the
# end-to-end suites that drive a real daemon over its socket; then, on the cgroup v2 + systemd test node
# (a QEMU virtual machine, scripts/test-node.sh), the node sets CI runs. KONA_TEST_NODE=0 skips the node.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

need_root
ensure_packages "${RUNTIME_PACKAGES[@]}" "${PULL_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${FUZZ_PACKAGES[@]}"
ensure_promtool
JAVA_HOME="$(find_jdk25)"
export JAVA_HOME
./mvnw -B verify "$@"
[ "${KONA_TEST_NODE:-1}" = 0 ] && exit 0
KONA_TEST_NODE_BUILT=1 exec scripts/test-node.sh
