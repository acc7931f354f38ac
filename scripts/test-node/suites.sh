# Named sets of suites for the test node (cgroup v2, systemd as PID 1), read by test-node.sh on the
# host and guest.sh in the node. Each set is one Maven invocation in the node: modules (-pl, with -am)
# and a surefire test selector. Under QEMU's TCG one such invocation takes minutes (Maven's start-up
# alone), so sets are few and small; `check` runs no Maven at all, only the node's own checks.
#   check       the node itself: systemd PID 1, cgroup2 with its controllers, systemd on D-Bus
#   unit        pure unit tests: the build, JDK and Maven repository work inside the node
#   cgroup      cgroup layout detection on the real v2 tree, and the v2 manager's logic
#   systemd     the systemd cgroup driver against the node's systemd: scopes, slices, limits, restart
#   cgroup-v1   the cgroup tests written for v1 (the manager, and the native engine with real cgroups):
#               they fail on v2 until the engine's v2 support lands, so CI does not run them yet
#   cgroup-v2-engine  the engine on the real v2 tree: limits as runc writes them and their update, the
#               eBPF device program (attach, replace, freed with the cgroup), oom.group, cgroup.kill,
#               stats with PSI; the same ManagedCgroupsTest passes on v1 hosts
# CI (scripts/test.sh) runs TEST_NODE_CI_SETS; the others run by hand: scripts/test-node.sh SET...
TEST_NODE_CI_SETS=(check cgroup)

# suite_args SET: prints the Maven arguments for SET, one per line; fails for an unknown set.
suite_args() {
  case "$1" in
    check) ;;
    unit) printf '%s\n' -pl native -am \
      '-Dtest=CgroupPathTest,CpuConversionsTest,CgroupV2ManagerTest,SpecJsonTest,KonaExceptionTest' ;;
    cgroup) printf '%s\n' -pl native -am '-Dtest=CgroupLayoutTest,CgroupV2ManagerTest' ;;
    systemd) printf '%s\n' -pl native -am '-Dtest=SystemdCgroupsTest,ScopeUnitTest,ResourcePropertiesTest' ;;
    cgroup-v1) printf '%s\n' -pl native -am '-Dtest=CgroupV1ManagerTest,ManagedCgroupsTest' ;;
    cgroup-v2-engine) printf '%s\n' -pl native -am \
      '-Dtest=CgroupLayoutTest,CgroupV2ManagerTest,CpuConversionsTest,DeviceFilterProgramTest,BpfDeviceGateTest,ManagedCgroupsTest' ;;
    *) return 1 ;;
  esac
}
