# Shared by scripts/run.sh and scripts/test.sh: root check, Debian packages, JDK 25.

die() { echo "kona: $*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" = 0 ] || die "run as root: Kona manages namespaces, mounts and cgroups."
}

# ensure_packages PKG...: apt-get installs the ones that are missing, updating the index only then.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} = 0 ] && return 0
  echo "kona: installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_promtool: promtool (checks and unit-tests packaging/prometheus/kona-rules.yml) from Debian's
# prometheus package, without the package: installing it would add a Prometheus server, started by
# its init script, and ~100 MB. Only the one binary is taken (a 19 MB download, 48 MB on disk).
ensure_promtool() {
  command -v promtool >/dev/null && return 0
  local dir
  dir="$(mktemp -d)"
  echo "kona: installing promtool from Debian's prometheus package into /usr/local/bin" >&2
  (cd "$dir" && apt-get download -q prometheus >/dev/null 2>&1) || { apt-get update -q >/dev/null; (cd "$dir" && apt-get download -q prometheus >/dev/null); }
  dpkg-deb --fsys-tarfile "$dir"/prometheus_*.deb | tar -x -C "$dir" ./usr/bin/promtool
  install -m 0755 "$dir/usr/bin/promtool" /usr/local/bin/promtool
  rm -rf "$dir"
}

# find_jdk25: prints a JAVA_HOME with Java 25 or newer, or fails saying where it looked.
find_jdk25() {
  local home
  for home in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/*; do
    [ -n "$home" ] && [ -x "$home/bin/javac" ] || continue
    if "$home/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
      echo "$home"
      return 0
    fi
  done
  die "Kona needs JDK 25 or newer (java.lang.foreign is final there); looked at \$JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/*. Install Temurin 25 and set JAVA_HOME."
}

# What the daemon itself uses on a node; musl-tools builds the per-container monitor small (~160 kB RSS);
# libssl3's libcrypto hashes pulled layers with the CPU's SHA extensions (the JDK's digest is the fallback).
RUNTIME_PACKAGES=(containernetworking-plugins iptables iproute2 libseccomp2 gcc libc6-dev musl-tools libssl3)
# Of those, what only builds kona-shim (it is static and travels inside the daemon's jar): the Debian
# package (packaging/deb/build.sh) leaves them out of its Depends.
BUILD_ONLY_PACKAGES=(gcc libc6-dev musl-tools)
# What the tests use on top: a real registry, busybox for test images and rootfs, the OCI
# runtimes the engine is compared with, htpasswd for the registry auth tests.
TEST_PACKAGES=(docker-registry busybox-static runc crun conmon apache2-utils)
# What the benchmark report runs beside Kona: Debian's containerd (with runc from TEST_PACKAGES). In the
# test node's image too (its service masked), so that the node's bench set compares the two there.
BENCH_PACKAGES=(containerd)
# Only on the host that runs the build (not in the test node's image): libFuzzer for the C helper's
# decoders (native/src/test/c/fuzz, ShimDecoderFuzzTest).
FUZZ_PACKAGES=(clang)
# gVisor for the runsc runtime handler and its tests (GvisorHandlerTest skips without it). A list
# of its own: the test node's image key reads RUNTIME_PACKAGES and TEST_PACKAGES only.
SANDBOX_PACKAGES=(runsc)
# Faster pulls, on the host only (the test node's image key reads RUNTIME_PACKAGES and TEST_PACKAGES,
# not this list): libisal2 is ISA-L, whose igzip inflates gzip layers ~3x faster than zlib (Kona falls
# back to the JDK's inflater without it).
PULL_PACKAGES=(libisal2)
# What scripts/test-node.sh uses on the host to build and boot the cgroup v2 + systemd test node.
TEST_NODE_PACKAGES=(qemu-system-x86 mmdebstrap e2fsprogs)
