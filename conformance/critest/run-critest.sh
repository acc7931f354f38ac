#!/usr/bin/env bash
# Runs the Kubernetes CRI conformance tool critest against a Kona daemon this script starts
# from this checkout's build, and stops again, even on failure.
#
#   CRITEST=/path/to/critest conformance/critest/run-critest.sh [critest args...]
#   e.g. ... run-critest.sh --ginkgo.focus 'Image Manager'
#
# Needs root, python3, and a built daemon (./mvnw -B -DskipTests install). critest is not part
# of the project: build it from kubernetes-sigs/cri-tools (critest v1.26.1 is what we test with).
#
# Environment:
#   CRITEST          critest binary (required)
#   CRICTL           crictl binary (optional): readiness probe and removal of pods a failed run left
#   RESULTS_DIR      where results go (default conformance/critest/results/<UTC time>)
#   REGISTRY_MIRROR  host:port of a registry serving critest's images (default 127.0.0.1:5000);
#                    registry.k8s.io, gcr.io, public.ecr.aws, docker.io, k8s.gcr.io and quay.io are
#                    pulled from it only. REGISTRY_MIRROR=none: pulls go to the public registries.
#   KONA_LOG_LEVEL   daemon log level (default debug: every CRI call with its status)
#   KONA_METRICS     address for the daemon's metrics (default: metrics disabled)
#   KONA_ARGS        more daemon flags, e.g. "--images.max_concurrent_downloads=1"
#   RUNTIME_HANDLER  run every spec's pods on this runtime handler (critest --runtime-handler), e.g.
#                    runc or crun: declared in the run's config as [runtime.handlers.<name>] with
#                    engine = RUNTIME_ENGINE (default: the handler's name). Empty: Kona's engine.
#   RUNTIME_ENGINE   the engine of RUNTIME_HANDLER when it is not the handler's name
#   QUIET=1          write critest's output only to critest.log, not to the terminal too
#   KEEP=1           keep the daemon's temp state, run roots and config after the run
#
# Writes to RESULTS_DIR: junit.xml, critest.log, kona.log, kona.toml, specs.tsv, summary.txt.
# The last line printed is "N passed, N failed, N skipped", followed by "(handler NAME)" when
# RUNTIME_HANDLER is set. Exit 0 only when no spec failed;
# 1 when one did, 2 when the run could not start (the summary line then says why), 130/143 when
# interrupted.
set -uo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
checkout="$(cd "$here/../.." && pwd)"
kona_pid=""
critest_pid=""
tail_pid=""
work=""
summary=""

say() { echo "run-critest: $*" >&2; }

# A setup problem still ends with a summary line, so that whoever reads the last line sees
# that nothing ran rather than a clean result.
not_run() {
  say "$*"
  summary="0 passed, 0 failed, 0 skipped (not run: $*)"
  exit 2
}

# Stops the daemon by its PID: SIGTERM, then SIGKILL if it outlives its shutdown timeout.
stop_kona() {
  [ -n "$kona_pid" ] || return 0
  if [ -n "${CRICTL:-}" ] && [ -S "$work/kona.sock" ] && kill -0 "$kona_pid" 2>/dev/null; then
    # Pods a failed spec left behind would keep their processes and mounts after Kona stops.
    "$CRICTL" --runtime-endpoint "unix://$work/kona.sock" rmp --all --force >/dev/null 2>&1 || true
  fi
  if kill -0 "$kona_pid" 2>/dev/null; then
    kill -TERM "$kona_pid" 2>/dev/null
    for _ in $(seq 1 60); do
      kill -0 "$kona_pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$kona_pid" 2>/dev/null; then
      say "kona (pid $kona_pid) ignored SIGTERM for 15 s; killing it"
      kill -KILL "$kona_pid" 2>/dev/null
    fi
  fi
  wait "$kona_pid" 2>/dev/null
  kona_pid=""
}

# Deletes the temp roots unless something is still mounted below them: a recursive delete
# would follow a leftover bind mount into the host's files.
remove_work() {
  [ -n "$work" ] && [ -d "$work" ] || return 0
  if [ "${KEEP:-0}" = 1 ]; then
    say "kept the daemon's roots in $work"
    return 0
  fi
  if awk -v dir="$work" '$5 == dir || index($5, dir "/") == 1 { found = 1 } END { exit !found }' \
      /proc/self/mountinfo; then
    say "left $work in place: mounts remain below it (see /proc/self/mountinfo)"
    return 0
  fi
  rm -rf --one-file-system "$work"
}

finish() {
  local pid
  for pid in "$critest_pid" "$tail_pid"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
    fi
  done
  stop_kona
  remove_work
  [ -n "$summary" ] && echo "$summary"
}
trap finish EXIT
interrupted() {
  say "interrupted by SIG$1"
  summary="0 passed, 0 failed, 0 skipped (not run: interrupted by SIG$1)"
  exit "$2"
}
trap 'interrupted INT 130' INT
trap 'interrupted TERM 143' TERM

# Registry mapping for critest's image hosts: every pull goes to the mirror, never to the real
# host (on a machine without internet that would be a DNS query to a non-loopback resolver).
# REGISTRY_MIRROR=none lets pulls go to the public registries, for machines that may do that.
REGISTRY_MIRROR="${REGISTRY_MIRROR:-127.0.0.1:5000}"
mirror_config() {
  local mirror="$1"
  case "$mirror" in
    http://* | https://*) ;;
    *) mirror="http://$mirror" ;;
  esac
  local host
  for host in registry.k8s.io gcr.io public.ecr.aws docker.io k8s.gcr.io quay.io; do
    printf '\n[images.registries."%s"]\nmirrors = ["%s"]\nfallback_to_registry = false\n' "$host" "$mirror"
  done
}

[ -n "${CRITEST:-}" ] || not_run "set CRITEST to a critest binary (kubernetes-sigs/cri-tools, v1.26.1)"
[ -x "$CRITEST" ] || not_run "CRITEST=$CRITEST is not an executable file"
if [ -n "${CRICTL:-}" ] && [ ! -x "$CRICTL" ]; then
  not_run "CRICTL=$CRICTL is not an executable file"
fi
[ "$(id -u)" = 0 ] || not_run "needs root: Kona creates namespaces, mounts and cgroups"
command -v python3 >/dev/null || not_run "needs python3 to read the JUnit report"
compgen -G "$checkout/cri-server/target/kona/lib/kona-cri-server-*.jar" >/dev/null \
  || not_run "no built daemon in $checkout/cri-server/target/kona/lib; build it: ./mvnw -B -DskipTests install"

handler="${RUNTIME_HANDLER:-}"
[ "$handler" = kona ] && handler=""
case "$handler" in
  "" | [a-z0-9]*) ;;
  *) not_run "RUNTIME_HANDLER=$handler is not a handler name (a DNS label)" ;;
esac
handler_args=()
[ -n "$handler" ] && handler_args=(--runtime-handler "$handler")

results="${RESULTS_DIR:-$here/results/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$results" || not_run "cannot create $results"
results="$(cd "$results" && pwd)"
# Short and under /tmp: a unix socket path must fit in 108 bytes.
work="$(mktemp -d /tmp/kona-critest.XXXXXX)" || not_run "mktemp failed"
sock="$work/kona.sock"

{
  echo "# kona.toml written by run-critest.sh for one critest run"
  echo "socket = \"$sock\""
  echo "state_root = \"$work/state\""
  echo "run_root = \"$work/run\""
  echo
  echo "[log]"
  echo "level = \"${KONA_LOG_LEVEL:-debug}\""
  echo
  echo "[metrics]"
  if [ -n "${KONA_METRICS:-}" ]; then
    echo "enabled = true"
    echo "address = \"$KONA_METRICS\""
  else
    echo "enabled = false"
  fi
  if [ "$REGISTRY_MIRROR" != none ]; then
    mirror_config "$REGISTRY_MIRROR"
  fi
  if [ -n "$handler" ]; then
    printf '\n[runtime.handlers.%s]\nengine = "%s"\n' "$handler" "${RUNTIME_ENGINE:-$handler}"
  fi
  # Extra config, e.g. a [runtime.handlers.<name>] table for critest's -runtime-handler=<name>.
  if [ -n "${KONA_TOML_EXTRA:-}" ]; then
    printf '\n%s\n' "$KONA_TOML_EXTRA"
  fi
} >"$results/kona.toml"
if [ "$REGISTRY_MIRROR" = none ]; then
  say "REGISTRY_MIRROR=none: critest's images are pulled from the public registries"
fi

# The config file is named explicitly so that the machine's /etc/kona/kona.toml plays no part.
# shellcheck disable=SC2086
"$checkout/bin/kona" daemon --config="$results/kona.toml" ${KONA_ARGS:-} >"$results/kona.log" 2>&1 &
kona_pid=$!
say "kona started (pid $kona_pid) on unix://$sock"

ready=0
for _ in $(seq 1 240); do
  if ! kill -0 "$kona_pid" 2>/dev/null; then
    wait "$kona_pid"
    code=$?
    kona_pid=""
    tail -n 20 "$results/kona.log" >&2
    not_run "kona exited with status $code before it was ready (log: $results/kona.log)"
  fi
  if [ -S "$sock" ]; then
    if [ -z "${CRICTL:-}" ] || "$CRICTL" --runtime-endpoint "unix://$sock" --timeout 2s version >/dev/null 2>&1; then
      ready=1
      break
    fi
  fi
  sleep 0.25
done
[ "$ready" = 1 ] || not_run "kona was not ready within 60 s (log: $results/kona.log)"

say "$("$CRITEST" --version 2>/dev/null | head -n 1); handler ${handler:-default}; results in $results"
start=$(date +%s)
# critest runs in the background so that a signal to this script is handled at once (bash runs
# traps only between foreground commands); finish() stops critest too.
"$CRITEST" \
  --runtime-endpoint "unix://$sock" \
  --image-endpoint "unix://$sock" \
  --ginkgo.no-color \
  --ginkgo.junit-report "$results/junit.xml" \
  "${handler_args[@]}" \
  "$@" >"$results/critest.log" 2>&1 &
critest_pid=$!
if [ "${QUIET:-0}" != 1 ]; then
  tail --pid="$critest_pid" -n +1 -f "$results/critest.log" &
  tail_pid=$!
fi
wait "$critest_pid"
critest_status=$?
critest_pid=""
if [ -n "$tail_pid" ]; then
  wait "$tail_pid"
  tail_pid=""
fi
say "critest exited with status $critest_status after $(($(date +%s) - start)) s"

stop_kona

if [ ! -s "$results/junit.xml" ]; then
  not_run "critest wrote no JUnit report (status $critest_status; log: $results/critest.log)"
fi
summary="$(python3 "$here/junit_summary.py" "$results/junit.xml" "$results/specs.tsv")" \
  || not_run "cannot read $results/junit.xml"
[ -n "$handler" ] && summary="$summary (handler $handler)"
echo "$summary" >"$results/summary.txt"
failed="$(echo "$summary" | sed -E 's/.* ([0-9]+) failed.*/\1/')"
if [ "$failed" != 0 ]; then
  exit 1
fi
if [ "$critest_status" != 0 ]; then
  say "no spec failed but critest exited with status $critest_status (log: $results/critest.log)"
  exit 1
fi
exit 0
