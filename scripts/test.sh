#!/usr/bin/env bash
# Installs what the tests need and runs every test: unit tests, kernel tests (as root), and the
# end-to-end suites that drive a real daemon over its socket.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

need_root
ensure_packages "${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
JAVA_HOME="$(find_jdk25)"
export JAVA_HOME
exec ./mvnw -B verify "$@"
