package dev.kona.runtime.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.cri.api.v1.PsiStats;
import dev.kona.linux.cgroup.CgroupDriver;
import dev.kona.linux.cgroup.CgroupLayout;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.linux.cgroup.CgroupPath;
import dev.kona.linux.cgroup.CgroupStats;
import dev.kona.linux.cgroup.KernelCgroupFs;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.ContainerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's cgroup found through its bundle's cgroupsPath and read from recorded cgroup trees:
 * v2 as a unified tree, v1 as this machine's hybrid layout of one hierarchy per controller.
 */
class ContainerCgroupsTest {

  @TempDir Path tmp;

  static ContainerRecord container(String id, Path bundle) {
    ContainerSpec spec = new ContainerSpec("app", 0, "busybox", List.of(), List.of(), "", List.of(), List.of(),
        List.of(), Map.of(), Map.of(), "", false, false, false, null, null);
    return new ContainerRecord(id, "pod1", spec, "sha256:00", 1, bundle.toString(), "", 15, "", "");
  }

  private Path bundle(String cgroupsPath) throws IOException {
    Path bundle = Files.createDirectories(tmp.resolve("bundle"));
    Files.writeString(bundle.resolve("config.json"),
        "{\"ociVersion\":\"1.0.2\",\"linux\":{\"cgroupsPath\":\"" + cgroupsPath + "\"}}");
    return bundle;
  }

  private static void write(Path dir, String name, String text) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), text);
  }

  @Test
  void stats_recordedV2Tree_readsCpuMemoryAndPids() throws IOException {
    Path root = tmp.resolve("cgroup2");
    Path dir = root.resolve("kubepods/pod1/c1");
    write(dir, "cpu.stat", """
        usage_usec 2500000
        user_usec 2000000
        system_usec 500000
        nr_periods 40
        nr_throttled 3
        throttled_usec 1200
        """);
    write(dir, "memory.current", "73400320\n");
    write(dir, "memory.stat", """
        anon 67108864
        file 6291456
        active_file 2097152
        inactive_file 4194304
        pgfault 16500
        pgmajfault 2
        """);
    write(dir, "memory.events", "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n");
    write(dir, "pids.current", "3\n");
    write(dir, "cpu.pressure", "some avg10=2.50 avg60=1.00 avg300=0.25 total=4000\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=300\n");
    write(dir, "memory.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=20\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=10\n");
    write(dir, "io.pressure", "some avg10=0.10 avg60=0.00 avg300=0.00 total=7\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=5\n");
    CgroupManager v2 = CgroupManager.forLayout(CgroupLayout.v2(root), new KernelCgroupFs(), LinuxSyscalls.get());
    ContainerCgroups cgroups = new ContainerCgroups(v2, CgroupDriver.CGROUPFS);
    ContainerRecord c = container("c1", bundle("/kubepods/pod1/c1"));

    assertEquals(CgroupPath.parse("/kubepods/pod1/c1"), cgroups.pathOf(c));
    CgroupStats s = cgroups.stats(c);
    assertEquals(2_500_000_000L, s.cpuUsageNanos());
    assertEquals(2_000_000_000L, s.cpuUserNanos());
    assertEquals(500_000_000L, s.cpuSystemNanos());
    assertEquals(3, s.cpuThrottledPeriods());
    assertEquals(73_400_320L, s.memoryUsageBytes());
    assertEquals(73_400_320L - 4_194_304L, s.memoryWorkingSetBytes(), "usage minus inactive_file");
    assertEquals(67_108_864L, s.memoryRssBytes());
    assertEquals(16_500, s.memoryPageFaults());
    assertEquals(2, s.memoryMajorPageFaults());
    assertEquals(3, s.pidsCurrent());
    assertEquals(1, s.oomKills());
    assertLeanMatches(s, cgroups.usage(c));
    assertEquals(s.pressure(), cgroups.usage(c).pressure(), "the lean reading has the pressure too");
    PsiStats cpu = StatsProtos.psi(s.pressure().cpu());
    assertEquals(4_000_000, cpu.getSome().getTotal(), "stall time in nanoseconds; the kernel counts microseconds");
    assertEquals(2.5, cpu.getSome().getAvg10());
    assertEquals(0.25, cpu.getSome().getAvg300());
    assertEquals(300_000, cpu.getFull().getTotal());
    assertEquals(5_000, StatsProtos.psi(s.pressure().io()).getFull().getTotal());
    assertEquals(20_000, StatsProtos.psi(s.pressure().memory()).getSome().getTotal());
    assertEquals(134_217_728L - 69_206_016L, MemoryFigures.available(128L << 20, s.memoryWorkingSetBytes()),
        "a 128 MiB limit leaves limit minus working set");
  }

  @Test
  void stats_recordedV1Tree_readsEachControllersHierarchy() throws IOException {
    Path cpu = tmp.resolve("cpu,cpuacct/kona/c2");
    Path memory = tmp.resolve("memory/kona/c2");
    Path pids = tmp.resolve("pids/kona/c2");
    write(cpu, "cpuacct.usage", "1234567890\n");
    write(cpu, "cpuacct.stat", "user 100\nsystem 20\n");
    write(cpu, "cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");
    write(memory, "memory.usage_in_bytes", "10485760\n");
    write(memory, "memory.stat", """
        cache 2097152
        rss 8388608
        inactive_file 1048576
        pgfault 700
        pgmajfault 0
        total_cache 2097152
        total_rss 8388608
        total_inactive_file 1048576
        total_pgfault 700
        total_pgmajfault 0
        """);
    write(memory, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
    write(memory, "memory.failcnt", "0\n");
    write(pids, "pids.current", "1\n");
    CgroupLayout layout = CgroupLayout.v1(Map.of(
        "cpu", tmp.resolve("cpu,cpuacct"), "cpuacct", tmp.resolve("cpu,cpuacct"),
        "memory", tmp.resolve("memory"), "pids", tmp.resolve("pids")));
    CgroupManager v1 = CgroupManager.forLayout(layout, new KernelCgroupFs(), LinuxSyscalls.get());
    // No cgroupsPath in the spec: the engine's default place.
    Path bundle = Files.createDirectories(tmp.resolve("b2"));
    Files.writeString(bundle.resolve("config.json"), "{\"ociVersion\":\"1.0.2\"}");
    ContainerCgroups cgroups = new ContainerCgroups(v1, CgroupDriver.CGROUPFS);
    CgroupStats s = cgroups.stats(container("c2", bundle));

    assertEquals(1_234_567_890L, s.cpuUsageNanos());
    assertEquals(1_000_000_000L, s.cpuUserNanos(), "100 USER_HZ ticks");
    assertEquals(10_485_760L, s.memoryUsageBytes());
    assertEquals(10_485_760L - 1_048_576L, s.memoryWorkingSetBytes());
    assertEquals(8_388_608L, s.memoryRssBytes());
    assertEquals(1, s.pidsCurrent());
    assertLeanMatches(s, cgroups.usage(container("c2", bundle)));
    assertEquals(null, s.pressure(), "no per-cgroup PSI on v1");
  }

  /** The lean reading for the stats RPCs agrees with the full one on every figure it reads. */
  private static void assertLeanMatches(CgroupStats full, CgroupStats lean) {
    assertEquals(full.cpuUsageNanos(), lean.cpuUsageNanos());
    assertEquals(full.memoryUsageBytes(), lean.memoryUsageBytes());
    assertEquals(full.memoryWorkingSetBytes(), lean.memoryWorkingSetBytes());
    assertEquals(full.memoryRssBytes(), lean.memoryRssBytes());
    assertEquals(full.memoryPageFaults(), lean.memoryPageFaults());
    assertEquals(full.memoryMajorPageFaults(), lean.memoryMajorPageFaults());
    assertEquals(full.pidsCurrent(), lean.pidsCurrent());
  }

  @Test
  void usage_cgroupGone_readsAsZero() throws IOException {
    CgroupManager v2 = CgroupManager.forLayout(CgroupLayout.v2(tmp.resolve("empty")), new KernelCgroupFs(),
        LinuxSyscalls.get());
    CgroupStats s = new ContainerCgroups(v2, CgroupDriver.CGROUPFS).usage(container("c3", bundle("/gone")));
    assertEquals(new CgroupStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), s);
  }

  @Test
  void first_matchesWholeKeysAtLineStart() {
    String stat = "rss_huge 7\ntotal_rss 9\nrss 5\nmapped_file 1";
    assertEquals(5, UsageFiles.first(stat, "rss"));
    assertEquals(9, UsageFiles.first(stat, "total_rss", "rss"));
    assertEquals(1, UsageFiles.first(stat, "nothing", "mapped_file"));
    assertEquals(0, UsageFiles.first(stat, "huge"));
  }
}
