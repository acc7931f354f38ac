# Named sets of suites for the test node (cgroup v2, systemd as PID 1), read by test-node.sh on the
# host and guest.sh in the node. A set is a list of test classes per module. Maven does not run in the
# node (under QEMU's TCG its start-up alone costs minutes): the host builds the modules and writes each
# one's test classpath, and the node runs the classes with the JUnit Platform Launcher
# (NodeLauncher.java), one JVM per module, in the module's directory as surefire would.
#   check       the node itself: systemd PID 1, cgroup2 with its controllers, systemd on D-Bus
#   unit        pure unit tests: the build, JDK and Maven repository work inside the node
#   cgroup      cgroup layout detection on the real v2 tree, and the v2 manager's logic
#   systemd     the systemd cgroup driver against the node's systemd: scopes, slices, limits, restart
#   cgroup-v1   the cgroup tests written for v1 (the manager, and the native engine with real cgroups):
#               they fail on v2 until the engine's v2 support lands, so CI does not run them yet
#   cgroup-v2-engine  the engine on the real v2 tree: limits as runc writes them and their update, the
#               eBPF device program (attach, replace, freed with the cgroup), oom.group, cgroup.kill,
#               stats with PSI; the same ManagedCgroupsTest passes on v1 hosts
#   engine      the native engine and its cgroups on the real v2 tree (no daemon)
#   runc-diff   RuncDifferentialTest alone: a container under Kona's engine and under runc, compared
#   kubelet     the end-to-end suites of issue 14's "Done when", through a real daemon's socket, with
#               the systemd driver; then nothing of Kona's may be left on the node
#   recovery    CrashRecoveryTest: the daemon killed at every step and restarted (~30 daemon starts)
#   daemon      more end-to-end suites: the daemon's own life, sandboxes, isolation, request limits
#   userns      pods with their own user namespace (hostUsers: false) through a real daemon, on the
#               node's kernel 6.1 (idmapped overlay layers, no idmapped tmpfs) and cgroup v2
#   engine-ci, kubelet-ci   the tests of engine and kubelet that pass on the node today (CI runs them)
#   bench       not tests: the benchmark report's pod start and container lifecycle figures, Kona beside
#               Debian's containerd, both on the systemd cgroup driver (SystemdCgroup = true); under TCG
#               only the ratios mean anything. The report is bench/report.md in the results.
# CI (scripts/test.sh) runs TEST_NODE_CI_SETS; the others run by hand: scripts/test-node.sh SET...
TEST_NODE_CI_SETS=(check engine-ci systemd kubelet-ci)

# The cgroup driver of the daemons the conformance suites start in the node (the KonaDaemon fixture
# passes it as --cgroup_driver): systemd, the production configuration (issue 14). The daemon set's
# tests state what they assume: DaemonLifecycleTest#systemdDriverWithoutSystemd_stopsStartUpWithExitTwo
# needs a host without systemd (skipped here), CriFoundationTest expects the driver the daemon was given.
TEST_NODE_CGROUP_DRIVER=systemd

# Where test-node.sh puts the Debian package the set package installs (in the checkout, which the node sees).
TEST_NODE_PACKAGE_DIR=target/test-node-package

# suite_tests SET: prints one line per module, "MODULE TEST...", a test being a class by simple name
# (as surefire's -Dtest takes them), CLASS#method, or !CLASS#method to leave one out of its class
# (every invocation of a parameterized one); nothing for check; fails for an unknown set.
suite_tests() {
  case "$1" in
    check) ;;
    unit)
      echo common KonaExceptionTest
      echo native CgroupPathTest CpuConversionsTest CgroupV2ManagerTest SpecJsonTest ;;
    cgroup) echo native CgroupLayoutTest CgroupV2ManagerTest ;;
    cgroup-v1) echo native CgroupV1ManagerTest ManagedCgroupsTest ;;
    engine) echo native CgroupLayoutTest CgroupV2ManagerTest DeviceFilterProgramTest ManagedCgroupsTest \
      NativeEngineTest NativeEngineSpecTest NativeEngineRecoveryTest NativeEngineMountsTest PodInitsTest \
      RuncDifferentialTest OciRuntimeEngineTest ;;
    # Known to fail on v2 (add them here once fixed):
    #   ManagedCgroupsTest#create_joinsCgroupWithLimitsAndDeleteRemovesIt,
    #   ManagedCgroupsTest#create_invalidSeccompProfileFailsAndRemovesTheCgroup: NPE in CgroupLayout.dir
    #   RuncDifferentialTest (both) failed on v2 (2026-12-03) only because it dropped Kona's read-only
    #   /sys/fs/cgroup line, where runc's v2 mount is read-only too; the test now compares them (not yet
    #   run on the node since: the runc-diff set)
    # Flaky in the node (timing): OciRuntimeEngineTest#terminal_outputArrivesOnStdoutThroughAPty with crun
    #   logged "/dev/pts/0" as a partial line and its "\r\n" as a second one (1 of 2 runs)
    engine-ci) echo native CgroupLayoutTest CgroupV2ManagerTest DeviceFilterProgramTest \
      ManagedCgroupsTest BpfDeviceGateTest \
      NativeEngineTest NativeEngineSpecTest NativeEngineRecoveryTest NativeEngineMountsTest PodInitsTest \
      OciRuntimeEngineTest '!OciRuntimeEngineTest#terminal_outputArrivesOnStdoutThroughAPty' ;;
    # The suites of issue 14's "Done when" through a daemon's socket, with the systemd driver. After a
    # set of conformance suites guest.sh checks that no unit, cgroup, mount or process of Kona's is
    # left on the node (leftovers.txt), and fails the set if one is.
    kubelet) echo conformance KubeletFlowTest ContainerLifecycleTest ContainerStatsTest PodMetricsTest \
      ContainerEventsTest PodLeakTest CrashRecoveryTest ;;
    # CI's share of kubelet, sized so that .ci/run stays under ~30 minutes (host ~15, node ~14): every
    # case that touches cgroups or systemd (run, stop, daemon restart, OOMKilled, UpdateContainerResources,
    # stats, metrics) and PodLeakTest at 10 cycles. Left out for time, by hand in kubelet/recovery:
    #   CrashRecoveryTest (21 crashes, ~30 daemon starts: half an hour and more under TCG),
    #   ContainerEventsTest, ContainerLifecycleTest#execSync_outputExitCodeAndTimeout and
    #   #badRequests_unknownImageAndNameClash (not about cgroups or systemd).
    kubelet-ci) echo conformance KubeletFlowTest \
      ContainerLifecycleTest#createStart_runsToCompletion_withLogAndExitCode \
      ContainerLifecycleTest#stop_signalsFirst_thenKillsAfterTheTimeout_andRemoveCleansUp \
      ContainerLifecycleTest#daemonKilled_containersKeepRunning_andExitsMeanwhileAreRecorded \
      ContainerLifecycleTest#memoryHog_overItsLimit_isOomKilled_whetherTheVictimIsInitOrAChild \
      ContainerLifecycleTest#updateContainerResources_rewritesTheCgroupLimits \
      ContainerStatsTest PodMetricsTest PodLeakTest ;;
    recovery) echo conformance CrashRecoveryTest ;;
    daemon) echo conformance DaemonLifecycleTest CriFoundationTest PodSandboxTest ContainerIsolationTest \
      RequestLimitsTest RuntimeHandlersTest ;;
    systemd) echo native SystemdCgroupsTest ScopeUnitTest ResourcePropertiesTest ;;
    userns) echo conformance UserNamespaceTest ;;
    # The Debian package under systemd: install (neither enabled nor started), systemctl start, an
    # upgrade under a running pod that the new daemon adopts, purge. test-node.sh builds the package
    # on the host (jlink under TCG takes many minutes) into TEST_NODE_PACKAGE_DIR.
    package) echo conformance DebianPackageNodeTest ;;
    bench) echo conformance BenchmarkReport ;;
    # RuncDifferentialTest alone (it is in engine, not in engine-ci): what differs from runc on v2.
    runc-diff) echo native RuncDifferentialTest ;;
    cgroup-v2-engine) echo native CgroupLayoutTest CgroupV2ManagerTest CpuConversionsTest DeviceFilterProgramTest \
      BpfDeviceGateTest ManagedCgroupsTest ;;
    *) return 1 ;;
  esac
}

# suite_program SET: for a set that runs a program (a main class) instead of tests, its arguments;
# nothing and status 1 for a set of tests. The program is the set's one class; its exit code is the set's.
suite_program() {
  case "$1" in
    bench) echo --quick --starts ;;
    *) return 1 ;;
  esac
}

# suite_seconds SET: how long the set may take in the node (TCG on a busy host). test-node.sh gives the
# node 300 s plus the sum over its sets (KONA_TEST_NODE_TIMEOUT overrides), and guest.sh stops a
# module's test JVM that runs longer than its set's (KONA_TEST_NODE_SET_TIMEOUT overrides).
suite_seconds() {
  case "$1" in
    check) echo 0 ;;
    unit|cgroup|cgroup-v1|cgroup-v2-engine|systemd|runc-diff) echo 600 ;;
    engine|engine-ci) echo 900 ;;
    kubelet-ci|userns|bench) echo 1500 ;;
    daemon) echo 2400 ;;
    # 21 crashes, ~30 daemon starts and a pod each: 8 of 21 cases ran in ~25 minutes on a busy host.
    recovery) echo 5400 ;;
    kubelet) echo 7200 ;;
    *) echo 1800 ;;
  esac
}

# suite_java_opts SET: JVM options of the set's test JVMs (system properties the fixtures read).
suite_java_opts() {
  case "$1" in
    # The KonaDaemon fixture waits 5 times longer (TCG on a busy host: a daemon's start-up alone took
    # 40-60 s); PodLeakTest runs 20 pod cycles instead of the host's 200 (each costs seconds here), 10 in CI.
    kubelet-ci) echo "-Dkona.test.cgroup_driver=$TEST_NODE_CGROUP_DRIVER -Dkona.test.timeout_scale=5" \
      "-Dkona.leak.cycles=10" ;;
    package) echo "-Dkona.test.timeout_scale=5 -Dkona.test.deb=$CHECKOUT/$TEST_NODE_PACKAGE_DIR/kona_1.0.0~node1_amd64.deb" ;;
    kubelet*|daemon|recovery|bench|userns) echo "-Dkona.test.cgroup_driver=$TEST_NODE_CGROUP_DRIVER -Dkona.test.timeout_scale=5" \
      "-Dkona.leak.cycles=20" ;;
  esac
}
