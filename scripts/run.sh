#!/usr/bin/env bash
# Installs what is missing, builds Kona, and runs the daemon in the foreground with embedded
# defaults (socket /run/kona/kona.sock), after `kona check` finds no blocker. Extra arguments go to
# `kona check` and `kona daemon`, e.g. --log.level=debug.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

need_root
ensure_packages "${RUNTIME_PACKAGES[@]}" "${PULL_PACKAGES[@]}"
JAVA_HOME="$(find_jdk25)"
export JAVA_HOME
./mvnw -B -q -DskipTests install
bin/kona cni install-default "$@"
# the preflight: warnings are printed and the daemon starts; a blocker (exit 2) stops here
rc=0
bin/kona check "$@" || rc=$?
if [ "$rc" -ge 2 ]; then
  echo "run.sh: kona check found a blocker (fail above); not starting the daemon" >&2
  exit "$rc"
fi
exec bin/kona daemon "$@"
