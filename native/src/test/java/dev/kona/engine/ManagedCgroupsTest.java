package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.engine.plan.ContainerPlanner;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.engine.plan.HostFacts;
import dev.kona.oci.spec.Seccomp;
import dev.kona.oci.spec.SeccompSyscall;
import dev.kona.common.time.Waits;
import dev.kona.linux.cgroup.CgroupDriver;
import dev.kona.linux.cgroup.CgroupLayout;
import dev.kona.linux.cgroup.CgroupLimits;
import dev.kona.linux.cgroup.CgroupStats;
import dev.kona.oci.spec.CpuResources;
import dev.kona.oci.spec.DeviceRule;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.linux.cgroup.CgroupPath;
import dev.kona.oci.spec.MemoryResources;
import dev.kona.oci.spec.PidsResources;
import dev.kona.oci.spec.Resources;
import dev.kona.oci.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The native engine with real cgroups, v1 on this host and v2 on the test node (the same tests,
 * each asserting the files of the version it runs on): placement, limits as runc writes them and
 * their update in place, device control (v1 devices.allow, v2 an eBPF program), OOM kills, kill
 * all, usage and pressure, removal.
 */
class ManagedCgroupsTest extends NativeEngineTestBase {
  final CgroupManager manager = CgroupManager.detect();
  final String parent = "/kona-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

  @Override
  NativeEngine newEngine() {
    return new NativeEngine(new RunRoot(runRoot), shim, new ContainerPlanner(HostFacts.read(), TestSeccomp.compiler()),
        new ManagedCgroups(manager, CgroupDriver.CGROUPFS), 16384);
  }

  @AfterEach
  void removeParent() {
    manager.delete(CgroupPath.parse(parent), Duration.ofSeconds(5));
  }

  boolean v2() {
    return manager.layout().version() == CgroupLayout.CgroupVersion.V2;
  }

  Path dir(String controller, String path) {
    return manager.layout().dir(controller, CgroupPath.parse(path));
  }

  String logOf(String name) {
    try {
      return log(name);
    } catch (IOException e) {
      return "";
    }
  }

  static String read(Path file) throws IOException {
    return Files.readString(file).strip();
  }

  Spec limited(long memory, String... args) {
    Spec spec = BusyboxBundle.spec(rootfs, false, args);
    Resources resources = new Resources(null, MemoryResources.limit(memory, memory), null, new PidsResources(64), null, null, null);
    return spec.withLinux(spec.linux().withCgroupsPath(parent + "/c").withResources(resources));
  }

  @Test
  void create_joinsCgroupWithLimitsAndDeleteRemovesIt() throws IOException {
    Path memoryDir = dir("memory", parent + "/c");
    String pidsMax = v2() ? "/sys/fs/cgroup/pids.max" : "/sys/fs/cgroup/pids/pids.max";
    ContainerId id = create("limited", limited(64 << 20, "sh", "-c", "cat " + pidsMax + "; cat /proc/self/cgroup"), false);
    assertTrue(Files.isDirectory(memoryDir));
    assertEquals(String.valueOf(64 << 20), read(memoryDir.resolve(v2() ? "memory.max" : "memory.limit_in_bytes")));
    engine.start(id);
    assertEquals(0, engine.waitForExit(id, WAIT).code());
    String log = log("limited");
    assertTrue(log.contains(" stdout F 64\n"), log);
    assertTrue(log.contains(v2() ? " stdout F 0::/\n" : ":memory:/\n"),
        "a cgroup namespace rooted at the container's cgroup: " + log);
    engine.delete(id);
    assertFalse(Files.exists(memoryDir));
  }

  @Test
  void create_writesLimitsAsRunc_andAnUpdateChangesThemInPlace() throws IOException {
    Spec spec = BusyboxBundle.spec(rootfs, false, "sleep", "1000");
    Resources resources = new Resources(null, MemoryResources.limit(64L << 20, 64L << 20),
        CpuResources.of(512L, 50_000L, 100_000L, "0", null), new PidsResources(64), null, null, null);
    ContainerId id = create("runc", spec.withLinux(spec.linux().withCgroupsPath(parent + "/c").withResources(resources)), false);
    engine.start(id);
    try {
      CgroupPath path = CgroupPath.parse(parent + "/c");
      if (v2()) {
        Path d = manager.layout().dir(path);
        assertEquals("59", read(d.resolve("cpu.weight")), "512 shares, runc's conversion");
        assertEquals("50000 100000", read(d.resolve("cpu.max")));
        assertEquals("0", read(d.resolve("cpuset.cpus")));
        assertEquals(String.valueOf(64 << 20), read(d.resolve("memory.max")));
        if (Files.exists(d.resolve("memory.swap.max"))) {
          assertEquals("0", read(d.resolve("memory.swap.max")), "memory+swap = memory: no swap");
        }
        assertEquals("64", read(d.resolve("pids.max")));
        assertEquals("1", read(d.resolve("memory.oom.group")), "an OOM kill takes the whole container");
      } else {
        assertEquals("512", read(dir("cpu", parent + "/c").resolve("cpu.shares")));
        assertEquals("50000", read(dir("cpu", parent + "/c").resolve("cpu.cfs_quota_us")));
        assertEquals("0", read(dir("cpuset", parent + "/c").resolve("cpuset.cpus")));
        assertEquals(String.valueOf(64 << 20), read(dir("memory", parent + "/c").resolve("memory.limit_in_bytes")));
        assertEquals("64", read(dir("pids", parent + "/c").resolve("pids.max")));
      }

      // What CgroupUpdates does for UpdateContainerResources: the same cgroup, new values, the process stays.
      manager.apply(path, CgroupLimits.fromSpec(new Resources(null, MemoryResources.limit(128L << 20, 128L << 20),
          CpuResources.of(1024L, 20_000L, 100_000L, null, null), null, null, null, null)));
      if (v2()) {
        Path d = manager.layout().dir(path);
        assertEquals("100", read(d.resolve("cpu.weight")));
        assertEquals("20000 100000", read(d.resolve("cpu.max")));
        assertEquals(String.valueOf(128 << 20), read(d.resolve("memory.max")));
      } else {
        assertEquals("1024", read(dir("cpu", parent + "/c").resolve("cpu.shares")));
        assertEquals("20000", read(dir("cpu", parent + "/c").resolve("cpu.cfs_quota_us")));
        assertEquals(String.valueOf(128 << 20), read(dir("memory", parent + "/c").resolve("memory.limit_in_bytes")));
      }
      assertEquals(1, manager.pids(path).size(), "the container runs on in its cgroup");

      InvalidArgumentException bad = assertThrows(InvalidArgumentException.class, () -> manager.apply(path,
          new CgroupLimits(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
              Map.of("memory.nonesuch", "1"))));
      assertTrue(bad.getMessage().contains("memory.nonesuch"), bad.getMessage());
    } finally {
      engine.kill(id, 9);
      engine.waitForExit(id, WAIT);
    }
  }

  /** The first block device of this machine that is not a loop or ram disk: the disk, as major:minor. */
  static String aDisk() throws IOException {
    try (var devices = Files.list(Path.of("/sys/dev/block"))) {
      return devices.map(p -> p.getFileName().toString())
          .filter(d -> !d.startsWith("7:") && !d.startsWith("1:"))
          .sorted().findFirst().orElseThrow(() -> new AssertionError("no block device in /sys/dev/block"));
    }
  }

  /** The device rules the runtime service gives a container: deny all, then runc's default list. */
  static List<DeviceRule> containerDevices(boolean privileged) {
    if (privileged) {
      return List.of(new DeviceRule(true, "a", null, null, "rwm"));
    }
    return List.of(DeviceRule.denyAll(),
        new DeviceRule(true, "c", null, null, "m"), new DeviceRule(true, "b", null, null, "m"),
        new DeviceRule(true, "c", 1L, 3L, "rwm"), new DeviceRule(true, "c", 1L, 5L, "rwm"),
        new DeviceRule(true, "c", 1L, 7L, "rwm"), new DeviceRule(true, "c", 1L, 8L, "rwm"),
        new DeviceRule(true, "c", 1L, 9L, "rwm"), new DeviceRule(true, "c", 5L, 0L, "rwm"),
        new DeviceRule(true, "c", 5L, 2L, "rwm"), new DeviceRule(true, "c", 136L, null, "rwm"));
  }

  @Test
  void devices_unprivilegedCannotOpenTheDisk_privilegedCan() throws IOException {
    String[] disk = aDisk().split(":");
    String script = "mknod /dev/disk b " + disk[0] + " " + disk[1] + "; echo mknod=$?; "
        + "head -c 512 /dev/disk > /dev/null; echo open=$?; head -c 1 /dev/zero | wc -c";
    for (boolean privileged : new boolean[] {false, true}) {
      String name = privileged ? "priv" : "unpriv";
      Spec spec = BusyboxBundle.spec(rootfs, false, "sh", "-c", script);
      Resources resources = new Resources(containerDevices(privileged), null, null, null, null, null, null);
      ContainerId id = create(name, spec.withLinux(spec.linux().withCgroupsPath(parent + "/" + name)
          .withResources(resources)), false);
      engine.start(id);
      assertEquals(0, engine.waitForExit(id, WAIT).code());
      String log = log(name);
      assertTrue(log.contains(" stdout F mknod=0\n"), "mknod of any node is allowed: " + log);
      assertTrue(log.contains(" stdout F open=" + (privileged ? "0" : "1") + "\n"),
          (privileged ? "a privileged container reads " : "the device rules keep the container from ") + aDisk() + ": " + log);
      if (!privileged) {
        assertTrue(log.contains("Operation not permitted"), log);
      }
      assertTrue(log.contains(" stdout F 1\n"), "/dev/zero is on the allow list: " + log);
      engine.delete(id);
    }
  }

  @Test
  void killAll_killsEveryProcessOfTheContainerAtOnce() throws IOException {
    Spec spec = BusyboxBundle.spec(rootfs, false, "sh", "-c", "sleep 1000 & sleep 1000 & sleep 1000");
    ContainerId id = create("killall", spec.withLinux(spec.linux().withCgroupsPath(parent + "/k")), false);
    engine.start(id);
    CgroupPath path = CgroupPath.parse(parent + "/k");
    assertTrue(Waits.until(WAIT, () -> manager.pids(path).size() >= 3), "sh and its sleeps: " + manager.pids(path));
    if (v2()) {
      assertTrue(Files.exists(manager.layout().dir(path).resolve("cgroup.kill")), "cgroup.kill (Linux 5.14+)");
    }
    manager.killAll(path, WAIT);
    assertEquals(List.of(), manager.pids(path));
    assertEquals(9, engine.waitForExit(id, WAIT).signal(), "the init died of SIGKILL");
  }

  @Test
  void stats_readTheContainersCgroup_withPressureOnV2() throws IOException {
    Spec spec = BusyboxBundle.spec(rootfs, false, "sh", "-c",
        "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; echo counted; sleep 1000");
    ContainerId id = create("stats", spec.withLinux(spec.linux().withCgroupsPath(parent + "/s")), false);
    engine.start(id);
    try {
      CgroupPath path = CgroupPath.parse(parent + "/s");
      assertTrue(Waits.until(WAIT, () -> logOf("stats").contains("counted")), "the loop ends");
      CgroupStats s = manager.stats(path);
      assertTrue(s.cpuUsageNanos() > 0, s.toString());
      assertTrue(s.memoryUsageBytes() > 0, s.toString());
      assertTrue(s.pidsCurrent() >= 1, "the sleep: " + s);
      if (v2()) {
        assertTrue(s.pressure() != null && s.pressure().cpu() != null && s.pressure().cpu().some() != null
            && s.pressure().memory() != null && s.pressure().io() != null, "PSI of cpu, memory and io: " + s);
      } else {
        assertEquals(null, s.pressure(), "no per-cgroup PSI on v1");
      }
    } finally {
      engine.kill(id, 9);
      engine.waitForExit(id, WAIT);
    }
  }

  @Test
  void exit_oomKillIsReported() throws IOException {
    ContainerId id = create("oom", limited(16 << 20, "sh", "-c", "head -c 200m /dev/zero | tail"), false);
    engine.start(id);
    ExitStatus exit = engine.waitForExit(id, WAIT);
    assertTrue(exit.oomKilled(), exit.toString());
    assertEquals("OOMKilled", exit.reason());
  }

  @Test
  void create_invalidSeccompProfileFailsAndRemovesTheCgroup() throws IOException {
    Spec spec = limited(64 << 20, "true");
    Seccomp bad = Seccomp.of("SCMP_ACT_ALLOW", List.of("SCMP_ARCH_X86_64"),
        List.of(SeccompSyscall.of("SCMP_ACT_NOPE", List.of("mkdir"))));
    Path bundle = BusyboxBundle.write(dir, "badseccomp", spec.withLinux(spec.linux().withSeccomp(bad)));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> engine.create(
        new CreateRequest(ContainerId.parse("badseccomp"), bundle, null, false, false)));
    assertTrue(e.getMessage().contains("SCMP_ACT_NOPE"), e.getMessage());
    assertFalse(Files.exists(dir("memory", parent + "/c")));
    assertFalse(Files.exists(runRoot.resolve("containers/badseccomp")));
  }

  @Test
  void cycles_leaveNoCgroupBehind() throws IOException {
    for (int i = 0; i < 50; i++) {
      Spec spec = BusyboxBundle.spec(rootfs, false, "true");
      ContainerId id = create("cg" + i, spec.withLinux(spec.linux().withCgroupsPath(parent + "/cg" + i)), false);
      engine.start(id);
      assertEquals(0, engine.waitForExit(id, WAIT).code());
      engine.delete(id);
    }
    for (Path hierarchy : manager.layout().distinctHierarchies()) {
      Path dir = hierarchy.resolve(parent.substring(1));
      if (Files.isDirectory(dir)) {
        try (var children = Files.list(dir)) {
          assertEquals(List.of(), children.filter(Files::isDirectory).toList(), "cgroups left in " + dir);
        }
      }
    }
  }
}
