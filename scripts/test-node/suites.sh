# Named sets of suites for the test node (cgroup v2, systemd as PID 1), read by test-node.sh on the
# host and guest.sh in the node. Each set is one Maven invocation: modules (-pl, built with -am) and a
# surefire test selector. Under QEMU's TCG the node runs Java ~10x slower than the host, so sets stay
# small; `check` runs no Maven at all, only the node's own checks.
#   check       the node itself: systemd PID 1, cgroup2 with its controllers, systemd on D-Bus
#   unit        pure unit tests, proving the build and JDK work inside the node
#   cgroup      cgroup layout detection and the v2 manager against the real v2 tree
#   cgroup-v1   the v1-era cgroup tests, which fail on v2 until the engine's v2 support lands
# CI (scripts/test.sh) runs TEST_NODE_CI_SETS; the others are run by hand: scripts/test-node.sh SET...
TEST_NODE_CI_SETS=(check unit cgroup)

# suite_args SET: prints the Maven arguments for SET, one per line; fails for an unknown set.
suite_args() {
  case "$1" in
    check) ;;
    unit) printf '%s\n' -pl native -am \
      '-Dtest=CgroupPathTest,CpuConversionsTest,CgroupV2ManagerTest,SpecJsonTest,KonaExceptionTest' ;;
    cgroup) printf '%s\n' -pl native -am '-Dtest=CgroupLayoutTest,CgroupV2ManagerTest' ;;
    cgroup-v1) printf '%s\n' -pl native -am '-Dtest=CgroupV1ManagerTest,ManagedCgroupsTest' ;;
    *) return 1 ;;
  esac
}
