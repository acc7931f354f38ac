#!/usr/bin/env bash
# Boots the test node, a QEMU virtual machine with cgroup v2 only and systemd as PID 1, and runs named
# sets of suites in it against this checkout's build: scripts/test-node.sh [SET...] (sets in
# scripts/test-node/suites.sh; default: the ones CI runs). The node's root filesystem is built from
# Debian packages by scripts/test-node/build-image.sh and cached in $KONA_TEST_NODE_CACHE
# (/var/cache/kona-test-node), keyed by a hash of its inputs. The checkout, the JDK and ~/.m2 are
# shared read-only over 9p; results land in $KONA_TEST_NODE_RESULTS (target/test-node): console.log,
# job/ (what the host prepared), and per set summary.txt (one line per test, failures with their
# message and stack top), <module>.log (the test JVM's output), surefire-reports/ and exit-code. No
# network device: nothing leaves the node.
# Set KONA_TEST_NODE_BUILT=1 when the checkout was just built (scripts/test.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. scripts/test-node/suites.sh

need_root
# One node at a time on this machine: a second one would halve both under TCG, and the image cache is
# shared (a build drops the images of other keys).
exec 9> /run/lock/kona-test-node.lock
flock -n 9 || { echo "kona: another test node is running; waiting for it" >&2; flock 9; }
ensure_packages "${TEST_NODE_PACKAGES[@]}"
JAVA_HOME="$(find_jdk25)"
export JAVA_HOME

sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=("${TEST_NODE_CI_SETS[@]}")
for set in "${sets[@]}"; do
  suite_tests "$set" > /dev/null || die "test node: unknown set '$set' (see scripts/test-node/suites.sh)"
done

suite=bookworm
mirror="${KONA_TEST_NODE_MIRROR:-http://deb.debian.org/debian}"
cache="${KONA_TEST_NODE_CACHE:-/var/cache/kona-test-node}"
results="${KONA_TEST_NODE_RESULTS:-$PWD/target/test-node}"
timeout=300
for set in "${sets[@]}"; do timeout=$((timeout + $(suite_seconds "$set"))); done
timeout="${KONA_TEST_NODE_TIMEOUT:-$timeout}"
guest_packages=("${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${BENCH_PACKAGES[@]}")

key="$( { echo "$suite $mirror ${guest_packages[*]}"
          cat scripts/test-node/build-image.sh scripts/test-node/customize.sh scripts/test-node/initramfs-modules.sh \
              scripts/test-node/node-job scripts/test-node/kona-node-job.service; } | sha256sum | cut -c1-16)"
image="$cache/$key"
if [ ! -f "$image/root.img" ]; then
  mkdir -p "$cache"
  avail_kb="$(df --output=avail -k "$cache" | tail -1)"
  [ "$avail_kb" -gt $((4 * 1024 * 1024)) ] || die "test node: building the image needs ~4 GB free in $cache (and ${TMPDIR:-/var/tmp}); $((avail_kb / 1024)) MB left"
  echo "kona: building the test node image $image (Debian $suite, mmdebstrap; a few minutes)" >&2
  start=$SECONDS
  scripts/test-node/build-image.sh "$image.new" "$suite" "$mirror" "${guest_packages[@]}" \
    || { rm -rf "$image.new"; die "test node: building the image failed (see above)"; }
  # Older images are for inputs that are gone or on another branch: keep the two used last (branches
  # built side by side on one machine would otherwise rebuild each other's), drop the rest.
  ls -1dt "$cache"/*/ 2>/dev/null | grep -v "/$key.new/\$" | tail -n +3 | xargs -r rm -rf
  mv "$image.new" "$image"
  echo "kona: test node image built in $((SECONDS - start)) s" >&2
fi
touch "$image"
for f in root.img vmlinuz initrd.img; do
  [ -f "$image/$f" ] || die "test node: $image/$f is missing; remove $image to rebuild"
done

# The node runs no Maven: build here what the sets test, write each module's test classpath (its
# classes, test classes and dependency jars in ~/.m2, all at the same paths in the node) and the
# sets' test classes, and compile the node's JUnit runner. conformance drives the daemon that
# cri-server assembles, so it is built with it.
modules=()
for set in "${sets[@]}"; do
  while read -r module _; do
    [[ " ${modules[*]} " == *" $module "* ]] || modules+=("$module")
  done < <(suite_tests "$set")
done
[[ " ${modules[*]} " != *" conformance "* ]] || modules+=(cri-server)
rm -rf "$results"
mkdir -p "$results/job"
if [ ${#modules[@]} -gt 0 ]; then
  # Also after scripts/test.sh's build: the classpath goal needs the reactor's classes (test-compile).
  goal=(-DskipTests -Dkona.fuzz.skip=true verify) # the fuzzing executions do not heed -DskipTests
  [ "${KONA_TEST_NODE_BUILT:-0}" != 1 ] || goal=(test-compile)
  echo "kona: building $(IFS=,; echo "${modules[*]}") on the host and writing their test classpaths (the node only runs the tests)" >&2
  ./mvnw -B -q "${goal[@]}" dependency:build-classpath -Dmdep.includeScope=test \
    '-Dmdep.outputFile=${project.build.directory}/test-node.classpath' -pl "$(IFS=,; echo "${modules[*]}")" -am \
    || die "test node: the host build failed (see above)"
  for module in "${modules[@]}"; do
    echo "$PWD/$module/target/test-classes:$PWD/$module/target/classes:$(cat "$module/target/test-node.classpath")" \
      > "$results/job/$module.classpath"
  done
  # Any module's test classpath has the JUnit Platform Launcher the runner is compiled against.
  "$JAVA_HOME/bin/javac" -d "$results/job/launcher" -cp "$(cat "$results/job/${modules[0]}.classpath")" \
    scripts/test-node/NodeLauncher.java || die "test node: compiling scripts/test-node/NodeLauncher.java failed"
fi
# The set package installs the Debian package of this checkout: built here, from the daemon just built.
if [[ " ${sets[*]} " == *" package "* ]]; then
  rm -rf "$TEST_NODE_PACKAGE_DIR"
  packaging/deb/build.sh --prebuilt --version 1.0.0~node1 --out "$TEST_NODE_PACKAGE_DIR" >&2 \
    || die "test node: building the Debian package failed (see above)"
fi
# Under TCG most of a daemon's start is the JVM loading and linking its classes, and the suites start
# dozens. The node's daemons start from a JDK AOT cache recorded here, from one start of this
# checkout's daemon (same JDK, same jars at the same paths): assembling it in the node took ~7 min.
record_aot_cache() {
  local dir pid i
  dir="$(mktemp -d)"
  KONA_JAVA_OPTS="-XX:AOTCacheOutput=$1" bin/kona daemon --socket="$dir/kona.sock" --state_root="$dir/state" \
    --run_root="$dir/run" --metrics.address=127.0.0.1:0 --cni.conf_dir="$dir/cni" > "$dir/log" 2>&1 &
  pid=$!
  for ((i = 0; i < 1200; i++)); do
    grep -q 'ready on unix' "$dir/log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  grep -q 'AOTCache creation is complete' "$dir/log" || tail -5 "$dir/log" >&2
  rm -rf "$dir"
  [ -s "$1" ]
}
if [[ " ${modules[*]} " == *" conformance "* ]]; then
  start=$SECONDS
  if record_aot_cache "$results/job/kona.aot"; then
    echo "kona: recorded the daemons' AOT cache in $((SECONDS - start)) s" >&2
  else
    rm -f "$results/job/kona.aot"
    echo "kona: no AOT cache for the node's daemons (see above); they start without one" >&2
  fi
fi
# Per set: "MODULE [!]CLASS[#METHOD]..." with fully qualified names, found under each module's src/test/java.
for set in "${sets[@]}"; do
  while read -r module classes; do
    line="$module"
    for test in $classes; do
      not="${test%%[^!]*}"
      test="${test#!}"
      class="${test%%#*}"
      mapfile -t found < <(find "$module/src/test/java" -name "$class.java")
      [ ${#found[@]} = 1 ] || die "test node: set $set: $module has ${#found[@]} test classes named $class"
      fqcn="${found[0]#"$module/src/test/java/"}"
      fqcn="${fqcn%.java}"
      line+=" $not${fqcn//\//.}${test#"$class"}"
    done
    echo "$line"
  done < <(suite_tests "$set") > "$results/job/$set.tests"
done
printf 'SETS="%s"\nJAVA_HOME="%s"\nCHECKOUT="%s"\nSET_TIMEOUT="%s"\n' "${sets[*]}" "$JAVA_HOME" "$PWD" \
  "${KONA_TEST_NODE_SET_TIMEOUT:-}" > "$results/job.env"
mkdir -p "$HOME/.m2"
echo "kona: booting the test node (QEMU TCG, cgroup v2, systemd) for: ${sets[*]} (at most $timeout s)" >&2
start=$SECONDS
share() { echo "local,path=$1,mount_tag=$2,security_model=none${3:+,$3}"; }
set +e
# no_timer_check: on a busy host TCG's emulated CPU can be too slow for the kernel's IO-APIC timer
# check, which then panics ("IO-APIC + timer doesn't work!", seen at load ~20); QEMU's timer works.
timeout "$timeout" qemu-system-x86_64 \
  -accel "${KONA_TEST_NODE_ACCEL:-tcg,thread=multi}" -cpu max -smp "${KONA_TEST_NODE_CPUS:-2}" \
  -m "${KONA_TEST_NODE_MEMORY:-4G}" -nodefaults -no-reboot -display none -nic none \
  -device virtio-rng-pci -serial "file:$results/console.log" \
  -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
  -append "root=/dev/vda rw console=ttyS0 quiet loglevel=3 panic=-1 no_timer_check systemd.unified_cgroup_hierarchy=1 systemd.show_status=error" \
  -drive "file=$image/root.img,format=raw,if=virtio,snapshot=on" \
  -virtfs "$(share "$PWD" kona readonly=on)" -virtfs "$(share "$results" results)" \
  -virtfs "$(share "$JAVA_HOME" jdk readonly=on)" -virtfs "$(share "$HOME/.m2" m2 readonly=on)" \
  < /dev/null &
qemu=$!
tail -n +1 -F "$results/console.log" --pid="$qemu" 2>/dev/null | grep --line-buffered -o 'kona-node: .*' &
wait "$qemu"
qemu_rc=$?
set -e
sleep 0.5
echo "kona: test node ran ${sets[*]} in $((SECONDS - start)) s (boot to power-off)" >&2
[ "$qemu_rc" != 124 ] || die "test node: timed out after $timeout s; see $results/console.log"
[ "$qemu_rc" = 0 ] || die "test node: QEMU exited with $qemu_rc; see $results/console.log"
[ -f "$results/exit-code" ] || die "test node: the node powered off without a result; see $results/console.log"
rc="$(cat "$results/exit-code")"
case "$rc" in
  0) echo "kona: test node: all sets passed (${sets[*]}); results in $results" >&2 ;;
  3) die "test node: the node lacks a feature the suites need (MISSING above); see $results/console.log" ;;
  *) die "test node: a set failed; see $results/<set>/summary.txt, <module>.log and surefire-reports" ;;
esac
