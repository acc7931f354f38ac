package dev.kona.linux.cgroup;

import java.nio.file.Path;

/** Reads {@link CgroupStats} from a v2 cgroup; files of controllers not enabled read as zero. */
final class V2StatsReader {
  private final CgroupFs fs;

  V2StatsReader(CgroupFs fs) {
    this.fs = fs;
  }

  CgroupStats read(Path dir) {
    KeyedFile cpu = keyed(dir.resolve("cpu.stat"));
    KeyedFile mem = keyed(dir.resolve("memory.stat"));
    KeyedFile events = keyed(dir.resolve("memory.events"));
    long usage = number(dir.resolve("memory.current"));
    return new CgroupStats(
        cpu.get("usage_usec") * 1000,
        cpu.get("user_usec") * 1000,
        cpu.get("system_usec") * 1000,
        cpu.get("nr_throttled"),
        usage,
        Math.max(0, usage - mem.get("inactive_file")),
        mem.get("anon"),
        mem.get("pgfault"),
        mem.get("pgmajfault"),
        number(dir.resolve("pids.current")),
        events.get("oom"),
        events.get("oom_kill"),
        pressure(dir));
  }

  /** PSI of the cgroup, or null when the kernel has none (no pressure file at all). */
  Pressure pressure(Path dir) {
    Pressure.Psi cpu = psi(dir.resolve("cpu.pressure"));
    Pressure.Psi memory = psi(dir.resolve("memory.pressure"));
    Pressure.Psi io = psi(dir.resolve("io.pressure"));
    return cpu == null && memory == null && io == null ? null : new Pressure(cpu, memory, io);
  }

  private Pressure.Psi psi(Path f) {
    return fs.exists(f) ? Pressure.parse(fs.read(f)) : null;
  }

  long oomKills(Path dir) {
    return keyed(dir.resolve("memory.events")).get("oom_kill");
  }

  private long number(Path f) {
    if (!fs.exists(f)) {
      return 0;
    }
    String text = fs.read(f).trim();
    return text.isEmpty() || text.equals("max") ? 0 : Long.parseLong(text);
  }

  private KeyedFile keyed(Path f) {
    return fs.exists(f) ? KeyedFile.parse(fs.read(f)) : KeyedFile.EMPTY;
  }
}
