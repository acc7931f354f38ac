#!/usr/bin/env bash
# Installs what is missing, builds Kona, and runs the daemon in the foreground with embedded
# defaults (socket /run/kona/kona.sock). Extra arguments go to `kona daemon`, e.g. --log.level=debug.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

need_root
ensure_packages "${RUNTIME_PACKAGES[@]}"
JAVA_HOME="$(find_jdk25)"
export JAVA_HOME
./mvnw -B -q -DskipTests install
bin/kona cni install-default "$@"
exec bin/kona daemon "$@"
