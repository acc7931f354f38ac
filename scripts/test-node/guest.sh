#!/usr/bin/env bash
# Runs inside the test node (started by the image's kona-node-job, which powers off afterwards).
# The host's job is /kona-results/job.env: SETS (names from suites.sh), JAVA_HOME (the host's JDK,
# shared read-only as tag "jdk" and mounted at the same path), CHECKOUT (the checkout's path on the
# host) and SET_TIMEOUT (seconds one module's test JVM may take; empty: its set's suite_seconds). The
# host also wrote /kona-results/job/: <module>.classpath (the module's test classpath, paths as on the
# host), <set>.tests ("MODULE CLASS..." lines) and launcher/ (NodeLauncher, the JUnit Platform
# runner). The host's ~/.m2 is tag "m2" (read-only, with a throw-away layer over it) at /root/.m2,
# where the classpaths point. The checkout is /kona-src (read-only); the tests run in a writable
# overlay of it mounted at CHECKOUT.
# Results go to /kona-results/<set>/: summary.txt, <module>.log, surefire-reports/<module>/, exit-code.
# Exit code: 0 all passed, 1 a suite failed, 3 the node lacks a feature the suites need.
set -uo pipefail
export HOME=/root  # systemd starts the job without one; mvnw and Maven need it
results=/kona-results
set -a; . "$results/job.env"; set +a
. /kona-src/scripts/test-node/suites.sh
say() { echo "kona-node: $*"; }
fail_feature() { say "MISSING: $*"; exit 3; }
opts=trans=virtio,version=9p2000.L,msize=524288

# The node itself: what the cgroup v2 and systemd paths of Kona rely on.
check_node() {
  local pid1 fstype controllers want missing=() state version
  pid1="$(cat /proc/1/comm)"
  say "PID 1 is $pid1 ($(readlink /proc/1/exe)); kernel $(uname -r)"
  [ "$pid1" = systemd ] || fail_feature "PID 1 is $pid1, not systemd"
  fstype="$(stat -f -c %T /sys/fs/cgroup)"
  say "/sys/fs/cgroup is $fstype; /proc/self/cgroup: $(tr '\n' ' ' < /proc/self/cgroup)"
  [ "$fstype" = cgroup2fs ] || fail_feature "/sys/fs/cgroup is $fstype, not cgroup2 (unified hierarchy)"
  controllers="$(cat /sys/fs/cgroup/cgroup.controllers)"
  say "cgroup.controllers: $controllers"
  say "cgroup.subtree_control: $(cat /sys/fs/cgroup/cgroup.subtree_control)"
  for want in cpuset cpu io memory hugetlb pids; do
    [[ " $controllers " == *" $want "* ]] || missing+=("$want")
  done
  [ ${#missing[@]} = 0 ] || fail_feature "cgroup v2 controllers not available: ${missing[*]}"
  state="$(timeout 120 systemctl is-system-running --wait 2>&1)"
  say "systemctl is-system-running: $state"
  [ "$state" = running ] || { systemctl --failed --no-legend --plain | sed 's/^/kona-node: failed unit: /'; }
  version="$(busctl get-property org.freedesktop.systemd1 /org/freedesktop/systemd1 \
    org.freedesktop.systemd1.Manager Version 2>&1)" \
    || fail_feature "systemd is not reachable on the system bus: $version"
  say "busctl org.freedesktop.systemd1 Manager.Version: $version"
  say "busctl org.freedesktop.systemd1 Manager.ControlGroup: $(busctl get-property \
    org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager ControlGroup)"
}

# The host's JDK and Maven repository (read-only, with a throw-away layer over ~/.m2) and a writable
# overlay of the checkout, so that tests can write in target/ without touching the host's tree.
mount_build() {
  mkdir -p "$JAVA_HOME" "$CHECKOUT" /root/.m2 /var/lib/kona-node/{m2,src}/{lower,upper,work}
  mount -t 9p -o "$opts,ro,cache=loose" jdk "$JAVA_HOME" || fail_feature "cannot mount the host's JDK (9p tag jdk)"
  mount -t 9p -o "$opts,ro,cache=loose" m2 /var/lib/kona-node/m2/lower || fail_feature "cannot mount the host's ~/.m2 (9p tag m2)"
  mount -t overlay overlay -o lowerdir=/var/lib/kona-node/m2/lower,upperdir=/var/lib/kona-node/m2/upper,workdir=/var/lib/kona-node/m2/work /root/.m2 \
    || fail_feature "overlayfs over 9p (~/.m2) does not mount"
  mount -t overlay overlay -o lowerdir=/kona-src,upperdir=/var/lib/kona-node/src/upper,workdir=/var/lib/kona-node/src/work "$CHECKOUT" \
    || fail_feature "overlayfs over 9p (the checkout) does not mount"
  say "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  # Debian's kernel backs anonymous memory with huge pages whenever it can ("always"); the machines the
  # suites are written on use "madvise", and the stats suites count 4 KiB page faults.
  say "transparent_hugepage: $(cat /sys/kernel/mm/transparent_hugepage/enabled), set to madvise"
  echo madvise > /sys/kernel/mm/transparent_hugepage/enabled
}

# The AOT cache test-node.sh recorded from one start of the checkout's daemon (job/kona.aot): every
# daemon the suites start uses it (bin/kona reads KONA_JAVA_OPTS). Copied to the node's disk: the
# JVM maps it, and the results share is a 9p mount without a page cache.
aot_cache() {
  [ -s "$results/job/kona.aot" ] || { say "no AOT cache for the daemons: they start without one"; return 0; }
  cp "$results/job/kona.aot" /var/lib/kona-node/kona.aot && export KONA_JAVA_OPTS="-XX:AOTCache=/var/lib/kona-node/kona.aot"
  say "the suites' daemons start from the AOT cache job/kona.aot"
}

# What of Kona's is on the node, one line each: systemd units (container scopes kona-*.scope, pod
# slices kona*.slice and kubepods*), cgroups of those names, mounts under /tmp (the tests' roots) or
# naming kona (not the node's own /kona-src, /kona-results and /var/lib/kona-node), and processes of
# the helper (kona-shim) or a daemon (dev.kona.server.Main).
kona_traces() {
  systemctl list-units --all --plain --no-legend --full 'kona*' 'kubepods*' 2>/dev/null \
    | awk '{print "unit " $1 " " $3 "/" $4}'
  find /sys/fs/cgroup -mindepth 1 -type d \( -name 'kona*' -o -name 'kubepods*' \) -prune -printf 'cgroup %p\n' 2>/dev/null
  awk '($5 ~ /^\/tmp\// || $5 ~ /kona/) && $5 !~ /^\/(kona-src|kona-results|var\/lib\/kona-node)(\/|$)/ {print "mount " $5}' \
    /proc/self/mountinfo
  ps -eo pid=,args= | awk '/kona-shim|dev\.kona\.server\.Main/ && !/awk/ {$1 = $1; print "process " $0}'
}

# run_set SET: one JVM per module of SET, running its classes with NodeLauncher in the module's
# directory (as surefire does). Under TCG the JIT's C2 costs more than it gains in a short run: C1
# only. A JVM past its time (suite_seconds, or SET_TIMEOUT) gets SIGQUIT (a thread dump into its log), then SIGKILL; only the JVM
# (--foreground): the daemons and plugins the tests started must not get the SIGQUIT.
run_set() {
  local set="$1" dir="$results/$1" rc=0 jvm jvm_rc start module classes java_opts=() program_args limit
  limit="${SET_TIMEOUT:-$(suite_seconds "$set")}"
  [ -f "$results/job/$set.tests" ] || { say "set $set: no $results/job/$set.tests"; return 1; }
  mkdir -p "$dir"
  : > "$dir/summary.txt"
  read -r -a java_opts <<< "$(suite_java_opts "$set")"
  start=$SECONDS
  kona_traces | sort > "$dir/traces.before"
  while read -r module classes; do
    if program_args="$(suite_program "$set")"; then
      # A program, not tests: its class, with its arguments and where to write its report. A benchmark
      # measures Kona as it ships: without the suites' AOT cache.
      say "set $set: $module: running $classes $program_args; ${java_opts[*]}"
      # shellcheck disable=SC2086 # $classes is the one class, $program_args its words
      (cd "$CHECKOUT/$module" && unset KONA_JAVA_OPTS && exec timeout --foreground -s QUIT -k 60 "$limit" "$JAVA_HOME/bin/java" \
        -XX:TieredStopAtLevel=1 -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow "${java_opts[@]}" \
        -cp "$(cat "$results/job/$module.classpath")" $classes $program_args --out="$dir/report.md" \
        ) > "$dir/$module.log" 2>&1 < /dev/null &
    else
      say "set $set: $module: $(wc -w <<< "$classes") classes or methods; ${java_opts[*]}"
      # shellcheck disable=SC2086 # $classes: one word per class
      (cd "$CHECKOUT/$module" && exec timeout --foreground -s QUIT -k 60 "$limit" "$JAVA_HOME/bin/java" \
        -XX:TieredStopAtLevel=1 -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED "${java_opts[@]}" \
        -cp "$results/job/launcher:$(cat "$results/job/$module.classpath")" NodeLauncher \
        "$dir/surefire-reports/$module" "$dir/summary.txt" $classes) > "$dir/$module.log" 2>&1 < /dev/null &
    fi
    jvm=$!
    # The runner's own lines (a class starts, a test's result) and a benchmark's progress go to the
    # console as they come.
    tail -n +1 -F --pid="$jvm" "$dir/$module.log" 2>/dev/null | grep --line-buffered -E '^(kona-test: |\[(Kona|containerd)\] )' \
      | sed -u "s/^kona-test: /kona-node: $set: /"
    wait "$jvm"
    jvm_rc=$?
    case "$jvm_rc" in
      0|1) ;;
      124|137) say "set $set: $module: stopped after $limit s (thread dump in $module.log)" ;;
      *) say "set $set: $module: the test JVM exited with $jvm_rc:"; tail -20 "$dir/$module.log" | sed 's/^/kona-node:   /' ;;
    esac
    [ "$jvm_rc" = 0 ] || rc=1
    if [ -f "$dir/report.md" ]; then
      # A program's report: its table (figure, Kona, containerd, ratio) to the console, the rest in the file.
      grep '^|' "$dir/report.md" | sed "s/^/kona-node: $set: /"
      echo "PROGRAM $module $classes exit $jvm_rc (report.md)" >> "$dir/summary.txt"
    fi
  done < "$results/job/$set.tests"
  # The daemon suites must leave the node as they found it: a unit, cgroup, mount or process of
  # Kona's that was not there before fails the set (the list is in leftovers.txt).
  if grep -q '^conformance ' "$results/job/$set.tests"; then
    sleep 2 # systemd collects stopped units asynchronously
    kona_traces | sort | comm -13 "$dir/traces.before" - > "$dir/leftovers.txt"
    if [ -s "$dir/leftovers.txt" ]; then
      say "set $set: left on the node after its suites (leftovers.txt):"
      sed 's/^/kona-node:   /' "$dir/leftovers.txt"
      echo "LEFTOVERS $(wc -l < "$dir/leftovers.txt") units, cgroups, mounts or processes of Kona's" >> "$dir/summary.txt"
      rc=1
    else
      say "set $set: nothing of Kona's left (units, cgroups, mounts, processes)"
    fi
  fi
  echo "$rc" > "$dir/exit-code"
  say "set $set: $(grep -c '^PASS ' "$dir/summary.txt") passed, $(grep -cE '^(FAIL|ERROR) ' "$dir/summary.txt") failed, $(grep -c '^SKIP ' "$dir/summary.txt") skipped; exit $rc in $((SECONDS - start)) s"
  return "$rc"
}

say "up after $(cut -d' ' -f1 /proc/uptime) s"
check_node
say "boot: $(systemd-analyze time 2>&1 | head -1)"
dmesg | grep -E 'Run /init|EXT4-fs \(vda\): mounted|systemd 2[0-9]+ running' | sed 's/^/kona-node: boot: /'
systemd-analyze blame 2>&1 | head -5 | sed 's/^ */kona-node: boot: slowest unit: /'
failed=0
for set in $SETS; do
  [ "$set" = check ] && continue
  mountpoint -q "$CHECKOUT" || { mount_build; aot_cache; }
  run_set "$set" || failed=1
done
exit "$failed"
