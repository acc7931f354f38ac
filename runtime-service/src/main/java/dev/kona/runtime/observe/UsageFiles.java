package dev.kona.runtime.observe;

import dev.kona.linux.cgroup.CgroupLayout;
import dev.kona.linux.cgroup.CgroupPath;
import dev.kona.linux.cgroup.CgroupStats;
import dev.kona.linux.cgroup.Pressure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The few cgroup files the CRI stats messages need (CPU usage, memory usage, memory.stat, pids,
 * and on v2 the cpu, memory and io pressure files), for the kubelet's poll of every container:
 * four reads (seven on v2) instead of the nine and more a full
 * {@code CgroupManager.stats} makes. Fields it does not read are zero; the CRI metrics, which
 * need them, use the full reading. A missing file (the cgroup is going away) reads as zero.
 */
final class UsageFiles {

  private final CgroupLayout layout;

  UsageFiles(CgroupLayout layout) {
    this.layout = layout;
  }

  CgroupStats read(CgroupPath path) {
    return layout.version() == CgroupLayout.CgroupVersion.V2 ? v2(layout.dir(path)) : v1(path);
  }

  private CgroupStats v1(CgroupPath path) {
    long cpu = layout.has("cpuacct") ? number(layout.dir("cpuacct", path).resolve("cpuacct.usage")) : 0;
    long usage = 0;
    String stat = "";
    if (layout.has("memory")) {
      Path mem = layout.dir("memory", path);
      usage = number(mem.resolve("memory.usage_in_bytes"));
      stat = text(mem.resolve("memory.stat"));
    }
    long pids = layout.has("pids") ? number(layout.dir("pids", path).resolve("pids.current")) : 0;
    long inactiveFile = first(stat, "total_inactive_file", "inactive_file");
    return new CgroupStats(cpu, 0, 0, 0, usage, Math.max(0, usage - inactiveFile),
        first(stat, "total_rss", "rss"), first(stat, "total_pgfault", "pgfault"),
        first(stat, "total_pgmajfault", "pgmajfault"), pids, 0, 0);
  }

  private static CgroupStats v2(Path dir) {
    long cpu = first(text(dir.resolve("cpu.stat")), "usage_usec") * 1000;
    long usage = number(dir.resolve("memory.current"));
    String stat = text(dir.resolve("memory.stat"));
    return new CgroupStats(cpu, 0, 0, 0, usage, Math.max(0, usage - first(stat, "inactive_file")),
        first(stat, "anon"), first(stat, "pgfault"), first(stat, "pgmajfault"),
        number(dir.resolve("pids.current")), 0, 0, pressure(dir));
  }

  /** v2: the cgroup's PSI (null on v1, or when the kernel has none). */
  Pressure pressure(CgroupPath path) {
    return layout.version() == CgroupLayout.CgroupVersion.V2 ? pressure(layout.dir(path)) : null;
  }

  private static Pressure pressure(Path dir) {
    Pressure.Psi cpu = Pressure.parse(text(dir.resolve("cpu.pressure")));
    Pressure.Psi memory = Pressure.parse(text(dir.resolve("memory.pressure")));
    Pressure.Psi io = Pressure.parse(text(dir.resolve("io.pressure")));
    return cpu == null && memory == null && io == null ? null : new Pressure(cpu, memory, io);
  }

  /** The value of the first of {@code keys} present in a flat-keyed file ("key value" lines), else 0. */
  static long first(String text, String... keys) {
    for (String key : keys) {
      int at = 0;
      while ((at = text.indexOf(key, at)) >= 0) {
        boolean lineStart = at == 0 || text.charAt(at - 1) == '\n';
        int end = at + key.length();
        if (lineStart && end < text.length() && text.charAt(end) == ' ') {
          int eol = text.indexOf('\n', end);
          return Long.parseLong(text.substring(end + 1, eol < 0 ? text.length() : eol).trim());
        }
        at = end;
      }
    }
    return 0;
  }

  private static long number(Path file) {
    String t = text(file).trim();
    return t.isEmpty() || t.equals("max") ? 0 : Long.parseLong(t);
  }

  private static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException gone) {
      return "";
    } catch (IOException e) {
      throw new dev.kona.common.error.InternalException("read " + file + ": " + e.getMessage(), e);
    }
  }
}
