package dev.kona.linux.cgroup;

import java.nio.file.Path;

/** Reads {@link CgroupStats} from v1 controller files; an absent controller reads as zero. */
final class V1StatsReader {
  // cpuacct.stat counts in USER_HZ ticks, 100 per second on every Linux ABI.
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final CgroupLayout layout;
  private final CgroupFs fs;

  V1StatsReader(CgroupLayout layout, CgroupFs fs) {
    this.layout = layout;
    this.fs = fs;
  }

  CgroupStats read(CgroupPath path) {
    long usage = number("cpuacct", path, "cpuacct.usage");
    KeyedFile cpuacct = keyed("cpuacct", path, "cpuacct.stat");
    KeyedFile cpuStat = keyed("cpu", path, "cpu.stat");
    long memUsage = number("memory", path, "memory.usage_in_bytes");
    KeyedFile mem = keyed("memory", path, "memory.stat");
    long inactiveFile = mem.first("total_inactive_file", "inactive_file");
    KeyedFile oom = keyed("memory", path, "memory.oom_control");
    return new CgroupStats(
        usage,
        cpuacct.get("user") * NANOS_PER_TICK,
        cpuacct.get("system") * NANOS_PER_TICK,
        cpuStat.get("nr_throttled"),
        memUsage,
        Math.max(0, memUsage - inactiveFile),
        mem.first("total_rss", "rss"),
        mem.first("total_pgfault", "pgfault"),
        mem.first("total_pgmajfault", "pgmajfault"),
        number("pids", path, "pids.current"),
        // Times the limit was hit; with swap accounting, memory+swap is the limit that binds.
        Math.max(number("memory", path, "memory.failcnt"),
            number("memory", path, "memory.memsw.failcnt")),
        oom.get("oom_kill"));
  }

  long oomKills(CgroupPath path) {
    return keyed("memory", path, "memory.oom_control").get("oom_kill");
  }

  private Path file(String controller, CgroupPath path, String name) {
    return layout.has(controller) ? layout.dir(controller, path).resolve(name) : null;
  }

  private long number(String controller, CgroupPath path, String name) {
    Path f = file(controller, path, name);
    if (f == null || !fs.exists(f)) {
      return 0;
    }
    String text = fs.read(f).trim();
    return text.isEmpty() || text.equals("max") ? 0 : Long.parseLong(text);
  }

  private KeyedFile keyed(String controller, CgroupPath path, String name) {
    Path f = file(controller, path, name);
    return f == null || !fs.exists(f) ? KeyedFile.EMPTY : KeyedFile.parse(fs.read(f));
  }
}
