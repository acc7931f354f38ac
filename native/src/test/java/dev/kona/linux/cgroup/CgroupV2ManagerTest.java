package dev.kona.linux.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.linux.syscall.RecordingSyscalls;
import dev.kona.oci.spec.DeviceRule;
import dev.kona.oci.spec.SpecJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** v2 logic on a recorded cgroup v2 tree (this machine runs v1). */
class CgroupV2ManagerTest {
  private static final CgroupPath POD = CgroupPath.parse("/kubepods/burstable/pod1");
  private static final CgroupPath CTR = POD.child("ctr1");

  @TempDir Path root;
  private CgroupManager manager;
  private final RecordingSyscalls sys = new RecordingSyscalls();

  @BeforeEach
  void setUp() throws IOException {
    RecordedCgroupV2Fs.newRoot(root);
    manager = new CgroupV2Manager(CgroupLayout.v2(root), new RecordedCgroupV2Fs(), sys,
        (dir, rules) -> devicePrograms.put(dir, rules));
  }

  /** The device rules each cgroup's eBPF program was last built from (the fake of the bpf(2) edge). */
  private final Map<Path, List<DeviceRule>> devicePrograms = new java.util.LinkedHashMap<>();

  private String file(CgroupPath p, String name) throws IOException {
    return Files.readString(root.resolve(p.relative()).resolve(name)).trim();
  }

  @Test
  void create_enablesControllersDownTheChain() throws IOException {
    manager.create(CTR);

    assertEquals("cpuset cpu io memory hugetlb pids",
        Files.readString(root.resolve("cgroup.subtree_control")).trim());
    assertEquals("cpuset cpu io memory hugetlb pids", file(POD, "cgroup.subtree_control"));
    assertEquals("max", file(CTR, "memory.max"), "memory files exist in the leaf");
    assertFalse(Files.exists(root.resolve(CTR.relative()).resolve("rdma.max")));
    manager.create(CTR); // idempotent
  }

  @Test
  void apply_convertsOciUnits() throws IOException {
    manager.create(CTR);
    manager.apply(CTR, new CgroupLimits(512L, 50_000L, 100_000L, "0-1", "0", 256L << 20, 64L << 20,
        512L << 20, null, null, 100L, 500, Map.of("2MB", 4L << 20), List.of(),
        Map.of("memory.high", "200000000")));

    assertEquals("59", file(CTR, "cpu.weight"), "runc's quadratic shares-to-weight");
    assertEquals("50000 100000", file(CTR, "cpu.max"));
    assertEquals("0-1", file(CTR, "cpuset.cpus"));
    assertEquals(Long.toString(256L << 20), file(CTR, "memory.max"));
    assertEquals(Long.toString(64L << 20), file(CTR, "memory.low"));
    assertEquals(Long.toString(256L << 20), file(CTR, "memory.swap.max"), "swap = total - memory");
    assertEquals("100", file(CTR, "pids.max"));
    assertEquals("default " + CpuConversions.blkioToIoWeight(500), file(CTR, "io.weight"));
    assertEquals(Long.toString(4L << 20), file(CTR, "hugetlb.2MB.max"));
    assertEquals("200000000", file(CTR, "memory.high"));
  }

  @Test
  void apply_fromRealisticSpec() throws IOException {
    var spec = SpecJson.parse(new String(getClass().getResourceAsStream(
        "/dev/kona/oci/spec/cri-container-config.json").readAllBytes()));
    manager.create(CTR);
    manager.apply(CTR, CgroupLimits.fromSpec(spec.linux().resources()));
    assertEquals("50000 100000", file(CTR, "cpu.max"));
    assertEquals("1024", file(CTR, "pids.max"));
    assertEquals("1", file(CTR, "memory.oom.group"));
  }

  @Test
  void update_periodOnly_keepsQuota() throws IOException {
    manager.create(CTR);
    manager.apply(CTR, new CgroupLimits(null, 20_000L, null, null, null, null, null, null, null,
        null, null, null, null, null, null));
    manager.apply(CTR, new CgroupLimits(null, null, 50_000L, null, null, null, null, null, null,
        null, null, null, null, null, null));
    assertEquals("20000 50000", file(CTR, "cpu.max"));
  }

  @Test
  void update_quotaOnly_keepsPeriod() throws IOException {
    manager.create(CTR);
    manager.apply(CTR, new CgroupLimits(null, 20_000L, 50_000L, null, null, null, null, null, null,
        null, null, null, null, null, null));
    manager.apply(CTR, new CgroupLimits(null, 30_000L, null, null, null, null, null, null, null,
        null, null, null, null, null, null));
    assertEquals("30000 50000", file(CTR, "cpu.max"));
  }

  @Test
  void apply_swapWithoutMemoryLimit_isRefusedNamingTheField() throws IOException {
    manager.create(CTR);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> manager.apply(CTR, new CgroupLimits(null, null, null, null, null, null, null, 512L << 20,
            null, null, null, null, null, null, null)));
    assertTrue(e.getMessage().contains("memory_swap_limit_in_bytes"), e.getMessage());
    assertEquals("max", file(CTR, "memory.swap.max"));
  }

  @Test
  void apply_devices_replaceTheCgroupsProgram() {
    manager.create(CTR);
    List<DeviceRule> rules = List.of(DeviceRule.denyAll(), new DeviceRule(true, "c", 1L, 3L, "rwm"));
    manager.apply(CTR, new CgroupLimits(null, null, null, null, null, null, null, null, null, null,
        null, null, null, rules, null));
    assertEquals(Map.of(root.resolve(CTR.relative()), rules), devicePrograms);
    manager.apply(CTR, new CgroupLimits(null, null, null, null, null, 1L << 20, null, null, null, null,
        null, null, null, null, null));
    assertEquals(Map.of(root.resolve(CTR.relative()), rules), devicePrograms, "no rules: the program stays");
  }

  @Test
  void apply_unlimited() throws IOException {
    manager.create(CTR);
    manager.apply(CTR, new CgroupLimits(null, -1L, null, null, null, -1L, null, -1L, null, null,
        0L, null, null, null, null));
    assertEquals("max 100000", file(CTR, "cpu.max"));
    assertEquals("max", file(CTR, "memory.max"));
    assertEquals("max", file(CTR, "memory.swap.max"));
    assertEquals("max", file(CTR, "pids.max"));
  }

  @Test
  void apply_unknownUnifiedKey_namesIt() {
    manager.create(CTR);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> manager.apply(CTR, new CgroupLimits(null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, Map.of("rdma.max", "x"))));
    assertTrue(e.getMessage().contains("\"rdma.max\""), e.getMessage());
  }

  @Test
  void apply_unknownUnifiedKey_writesNothing() throws IOException {
    manager.create(CTR);
    assertThrows(InvalidArgumentException.class,
        () -> manager.apply(CTR, new CgroupLimits(null, null, null, null, null, 64L << 20, null, null,
            null, null, 10L, null, null, null, Map.of("memory.high", "100000000", "rdma.max", "x"))));
    assertEquals("max", file(CTR, "memory.max"), "an update is all or nothing, so status can report it");
    assertEquals("max", file(CTR, "pids.max"));
    assertEquals("max", file(CTR, "memory.high"));
  }

  @Test
  void stats_readRecordedCounters() throws IOException {
    manager.create(CTR);
    Path dir = root.resolve(CTR.relative());
    Files.writeString(dir.resolve("cpu.stat"), """
        usage_usec 1520000
        user_usec 1200000
        system_usec 320000
        nr_periods 40
        nr_throttled 7
        throttled_usec 90000
        """);
    Files.writeString(dir.resolve("memory.current"), "52428800\n");
    Files.writeString(dir.resolve("memory.stat"), """
        anon 31457280
        file 20971520
        kernel 1048576
        active_file 4194304
        inactive_file 16777216
        pgfault 12345
        pgmajfault 12
        """);
    Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 9\noom 2\noom_kill 1\noom_group_kill 0\n");
    Files.writeString(dir.resolve("pids.current"), "3\n");
    Files.writeString(dir.resolve("cpu.pressure"),
        "some avg10=1.50 avg60=0.75 avg300=0.20 total=123456\nfull avg10=0.50 avg60=0.25 avg300=0.00 total=2345\n");
    Files.writeString(dir.resolve("memory.pressure"),
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=10\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=7\n");

    CgroupStats s = manager.stats(CTR);

    Pressure.Psi cpu = new Pressure.Psi(new Pressure.Line(1.5, 0.75, 0.2, 123456),
        new Pressure.Line(0.5, 0.25, 0, 2345));
    Pressure.Psi memory = new Pressure.Psi(new Pressure.Line(0, 0, 0, 10), new Pressure.Line(0, 0, 0, 7));
    assertEquals(new CgroupStats(1_520_000_000L, 1_200_000_000L, 320_000_000L, 7, 52428800,
        52428800 - 16777216, 31457280, 12345, 12, 3, 2, 1, new Pressure(cpu, memory, null)), s,
        "io.pressure missing: no io figures");
    assertEquals(1, manager.oomKills(CTR));
  }

  @Test
  void addProcess_freeze_killAll_delete() throws IOException {
    manager.create(CTR);
    manager.addProcess(CTR, 4711);
    assertEquals(List.of(4711L), manager.pids(CTR));

    manager.freeze(CTR);
    assertEquals("1", file(CTR, "cgroup.freeze"));
    manager.thaw(CTR);
    assertEquals("0", file(CTR, "cgroup.freeze"));

    manager.killAll(CTR, Duration.ofSeconds(1));
    assertEquals(List.of(), manager.pids(CTR));

    manager.delete(POD, Duration.ofSeconds(1));
    assertFalse(Files.exists(root.resolve(POD.relative())));
    manager.delete(POD, Duration.ofSeconds(1)); // already gone is fine
  }
}
