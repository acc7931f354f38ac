package dev.kona.linux.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.testing.KernelTempDir;
import dev.kona.linux.testing.NoLeaks;
import dev.kona.oci.spec.DeviceRule;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** cgroup v1 on the real kernel, as root, under a test-unique parent that is removed afterwards. */
@ExtendWith(NoLeaks.class)
class CgroupV1ManagerTest {
  private static final long MIB = 1 << 20;

  private final CgroupLayout layout = CgroupLayout.detect();
  private final CgroupManager manager =
      CgroupManager.forLayout(layout, new KernelCgroupFs(), LinuxSyscalls.get());
  private final List<Process> started = new ArrayList<>();
  private CgroupPath parent;
  private CgroupPath ctr;

  @BeforeEach
  void setUp() {
    assertEquals(CgroupLayout.CgroupVersion.V1, layout.version(), "this test class needs a v1 host");
    parent = CgroupPath.ROOT.child(KernelTempDir.PREFIX + ThreadLocalRandom.current().nextInt(1 << 30));
    ctr = parent.child("pod").child("ctr");
  }

  @AfterEach
  void tearDown() {
    try {
      manager.killAll(parent, Duration.ofSeconds(5));
    } finally {
      started.forEach(Process::destroyForcibly);
      manager.delete(parent, Duration.ofSeconds(5));
    }
  }

  private String read(String controller, CgroupPath p, String file) throws IOException {
    return Files.readString(layout.dir(controller, p).resolve(file)).trim();
  }

  private Process start(String... command) throws IOException {
    Process p = new ProcessBuilder(command).start();
    started.add(p);
    return p;
  }

  @Test
  void create_makesEveryHierarchyAndInheritsCpuset() throws IOException {
    manager.create(ctr);
    for (String c : List.of("cpu", "cpuacct", "cpuset", "memory", "pids", "freezer")) {
      assertTrue(Files.isDirectory(layout.dir(c, ctr)), c);
    }
    assertEquals(read("cpuset", CgroupPath.ROOT, "cpuset.cpus"), read("cpuset", ctr, "cpuset.cpus"));
    assertEquals(read("cpuset", CgroupPath.ROOT, "cpuset.mems"), read("cpuset", ctr, "cpuset.mems"));
    manager.create(ctr);
  }

  @Test
  void apply_writesLimits_andUpdateRaisesMemoryAboveOldSwap() throws IOException {
    manager.create(ctr);
    manager.apply(ctr, new CgroupLimits(512L, 50_000L, 100_000L, "0", "0", 64 * MIB, null,
        128 * MIB, null, null, 64L, null, Map.of(), List.of(DeviceRule.denyAll(),
            new DeviceRule(true, "c", 1L, 3L, "rwm")), Map.of()));

    assertEquals("512", read("cpu", ctr, "cpu.shares"));
    assertEquals("50000", read("cpu", ctr, "cpu.cfs_quota_us"));
    assertEquals("100000", read("cpu", ctr, "cpu.cfs_period_us"));
    assertEquals("0", read("cpuset", ctr, "cpuset.cpus"));
    assertEquals(Long.toString(64 * MIB), read("memory", ctr, "memory.limit_in_bytes"));
    assertEquals(Long.toString(128 * MIB), read("memory", ctr, "memory.memsw.limit_in_bytes"));
    assertEquals("64", read("pids", ctr, "pids.max"));
    assertEquals("c 1:3 rwm", read("devices", ctr, "devices.list"));

    // 256 MiB is above the current memsw (128 MiB): memsw must go first.
    manager.apply(ctr, new CgroupLimits(null, -1L, null, null, null, 256 * MIB, null, 512 * MIB,
        null, null, 0L, null, null, null, null));
    assertEquals(Long.toString(256 * MIB), read("memory", ctr, "memory.limit_in_bytes"));
    assertEquals(Long.toString(512 * MIB), read("memory", ctr, "memory.memsw.limit_in_bytes"));
    assertEquals("-1", read("cpu", ctr, "cpu.cfs_quota_us"));
    assertEquals("max", read("pids", ctr, "pids.max"));
  }

  @Test
  void apply_unified_onV1_isInvalidArgument() {
    manager.create(ctr);
    assertThrows(InvalidArgumentException.class, () -> manager.apply(ctr, new CgroupLimits(null,
        null, null, null, null, null, null, null, null, null, null, null, null, null,
        Map.of("memory.high", "1"))));
  }

  @Test
  void apply_invalidValue_isInvalidArgumentNamingFile() {
    manager.create(ctr);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> manager.apply(ctr, new CgroupLimits(null, null, null, "99999", null, null, null,
            null, null, null, null, null, null, null, null)));
    assertTrue(e.getMessage().contains("cpuset.cpus"), e.getMessage());
  }

  @Test
  void addProcess_stats_killAll() throws Exception {
    manager.create(ctr);
    // v1 charges pages where they were first touched: exec only once inside the cgroup.
    Process a = start("sh", "-c", "read go; exec sleep 300");
    Process b = start("sh", "-c", "read go; while :; do :; done");
    manager.addProcess(ctr, a.pid());
    manager.addProcess(ctr, b.pid());
    for (Process p : List.of(a, b)) {
      p.getOutputStream().write("go\n".getBytes());
      p.getOutputStream().flush();
    }
    assertEquals(List.of(a.pid(), b.pid()), manager.pids(ctr).stream().sorted().toList());
    Thread.sleep(200);

    CgroupStats s = manager.stats(ctr);
    assertEquals(2, s.pidsCurrent());
    assertTrue(s.cpuUsageNanos() > 0, s.toString());
    assertTrue(s.memoryUsageBytes() > 0, s.toString());
    assertTrue(s.memoryWorkingSetBytes() <= s.memoryUsageBytes(), s.toString());
    assertEquals(0, s.oomKills());

    manager.killAll(parent, Duration.ofSeconds(5));
    assertTrue(a.waitFor(5, TimeUnit.SECONDS) && b.waitFor(5, TimeUnit.SECONDS));
    assertEquals(137, a.exitValue());
    assertEquals(List.of(), manager.pids(ctr));
    assertEquals("THAWED", read("freezer", ctr, "freezer.state"));
  }

  @Test
  void oomKill_isCounted() throws Exception {
    manager.create(ctr);
    manager.apply(ctr, new CgroupLimits(null, null, null, null, null, 16 * MIB, null, 16 * MIB,
        null, null, null, null, null, null, null));
    Process hog = start("sh", "-c", "read go; exec tail /dev/zero");
    manager.addProcess(ctr, hog.pid());
    assertEquals(0, manager.oomKills(ctr));

    try (OutputStream in = hog.getOutputStream()) {
      in.write("go\n".getBytes());
    }
    assertTrue(hog.waitFor(30, TimeUnit.SECONDS), "memory hog killed");
    assertEquals(137, hog.exitValue());
    assertEquals(1, manager.oomKills(ctr));
    assertEquals(1, manager.stats(ctr).oomKills());
  }

  @Test
  void delete_removesTreeInEveryHierarchy_andIsIdempotent() {
    manager.create(ctr);
    manager.delete(parent, Duration.ofSeconds(5));
    for (String c : List.of("cpu", "memory", "pids", "freezer", "cpuset")) {
      assertFalse(Files.exists(layout.dir(c, parent)), c);
    }
    manager.delete(parent, Duration.ofSeconds(1));
  }
}
