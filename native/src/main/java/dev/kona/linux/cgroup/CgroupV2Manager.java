package dev.kona.linux.cgroup;

import dev.kona.common.time.Waits;
import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.KonaException;
import dev.kona.linux.syscall.Syscalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cgroup v2: one tree. A controller's files appear in a cgroup only when its parent lists the
 * controller in {@code cgroup.subtree_control}, so creation enables them level by level.
 * Kill-all uses {@code cgroup.kill} (5.14+) or freeze, SIGKILL each task, thaw. Device rules
 * become an eBPF program attached to the cgroup ({@link DeviceGate}), replaced on each apply that
 * carries rules.
 */
final class CgroupV2Manager implements CgroupManager {
  private static final Logger log = LoggerFactory.getLogger(CgroupV2Manager.class);
  static final List<String> WANTED = List.of("cpuset", "cpu", "io", "memory", "hugetlb", "pids");
  private static final Duration FREEZE_TIMEOUT = Duration.ofSeconds(5);

  private final CgroupLayout layout;
  private final CgroupFs fs;
  private final Syscalls sys;
  private final V2LimitWriter limits;
  private final V2StatsReader stats;
  private final DeviceGate devices;

  CgroupV2Manager(CgroupLayout layout, CgroupFs fs, Syscalls sys) {
    this(layout, fs, sys, new BpfDeviceGate(sys));
  }

  CgroupV2Manager(CgroupLayout layout, CgroupFs fs, Syscalls sys, DeviceGate devices) {
    this.layout = layout;
    this.fs = fs;
    this.sys = sys;
    this.limits = new V2LimitWriter(fs);
    this.stats = new V2StatsReader(fs);
    this.devices = devices;
  }

  @Override
  public CgroupLayout layout() {
    return layout;
  }

  @Override
  public void create(CgroupPath path) {
    List<CgroupPath> chain = new ArrayList<>();
    for (CgroupPath p = path; !p.isRoot(); p = p.parent()) {
      chain.addFirst(p);
    }
    for (CgroupPath level : chain) {
      enableControllers(layout.dir(level.parent()));
      fs.mkdir(layout.dir(level));
    }
  }

  /** Enables in {@code parent}'s children every wanted controller it has and has not enabled. */
  private void enableControllers(Path parent) {
    Set<String> available = Set.copyOf(words(fs.read(parent.resolve("cgroup.controllers"))));
    Set<String> enabled = Set.copyOf(words(fs.read(parent.resolve("cgroup.subtree_control"))));
    List<String> missing = WANTED.stream()
        .filter(available::contains).filter(c -> !enabled.contains(c)).toList();
    if (missing.isEmpty()) {
      return;
    }
    Path control = parent.resolve("cgroup.subtree_control");
    try {
      fs.write(control, String.join(" ", missing.stream().map(c -> "+" + c).toList()));
    } catch (KonaException all) {
      // One refused controller fails the whole write: enable the others one by one.
      for (String c : missing) {
        try {
          fs.write(control, "+" + c);
        } catch (KonaException one) {
          log.warn("enable {} controller in {}: {}", c, parent, one.getMessage());
        }
      }
    }
  }

  private static List<String> words(String text) {
    String t = text.trim();
    return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
  }

  @Override
  public void apply(CgroupPath path, CgroupLimits l) {
    Path dir = layout.dir(path);
    limits.apply(dir, l);
    if (!l.devices().isEmpty()) {
      devices.replace(dir, l.devices());
    }
  }

  @Override
  public void addProcess(CgroupPath path, long pid) {
    fs.write(layout.dir(path).resolve("cgroup.procs"), Long.toString(pid));
  }

  @Override
  public List<Long> pids(CgroupPath path) {
    return CgroupTree.readPids(fs, layout.dir(path).resolve("cgroup.procs"));
  }

  @Override
  public CgroupStats stats(CgroupPath path) {
    return stats.read(layout.dir(path));
  }

  @Override
  public long oomKills(CgroupPath path) {
    return stats.oomKills(layout.dir(path));
  }

  @Override
  public void freeze(CgroupPath path) {
    Path dir = layout.dir(path);
    fs.write(dir.resolve("cgroup.freeze"), "1");
    if (!Waits.until(FREEZE_TIMEOUT, () -> eventsFlag(dir, "frozen"))) {
      fs.write(dir.resolve("cgroup.freeze"), "0");
      throw new DeadlineExceededException("freeze cgroup " + path + ": not frozen after " + FREEZE_TIMEOUT);
    }
  }

  @Override
  public void thaw(CgroupPath path) {
    fs.write(layout.dir(path).resolve("cgroup.freeze"), "0");
  }

  @Override
  public void killAll(CgroupPath path, Duration timeout) {
    Path dir = layout.dir(path);
    if (!fs.exists(dir)) {
      return;
    }
    if (fs.exists(dir.resolve("cgroup.kill"))) {
      fs.write(dir.resolve("cgroup.kill"), "1");
    } else {
      freeze(path);
      try {
        for (Path d : CgroupTree.deepestFirst(fs, dir)) {
          for (long pid : CgroupTree.readPids(fs, d.resolve("cgroup.procs"))) {
            CgroupTree.kill(sys, pid);
          }
        }
      } finally {
        thaw(path);
      }
    }
    if (!Waits.until(timeout, () -> !eventsFlag(dir, "populated"))) {
      throw new DeadlineExceededException("kill all in cgroup " + path + ": tasks remain after " + timeout);
    }
  }

  private boolean eventsFlag(Path dir, String key) {
    return KeyedFile.parse(fs.read(dir.resolve("cgroup.events"))).get(key) == 1;
  }

  @Override
  public void delete(CgroupPath path, Duration timeout) {
    CgroupTree.remove(fs, layout.dir(path), timeout);
  }
}
