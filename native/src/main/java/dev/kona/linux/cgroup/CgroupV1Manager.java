package dev.kona.linux.cgroup;

import dev.kona.common.time.Waits;
import dev.kona.common.error.DeadlineExceededException;
import dev.kona.linux.syscall.Syscalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * cgroup v1: a container's cgroup is a directory of the same path in each controller's
 * hierarchy. A new cpuset cgroup starts with empty cpus/mems and refuses tasks until they are
 * set, so creation copies them from the parent, level by level.
 */
final class CgroupV1Manager implements CgroupManager {
  /** The controllers Kona puts containers in; ones not mounted are skipped. */
  static final List<String> USED =
      List.of("cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer", "blkio", "hugetlb");
  private static final Duration FREEZE_TIMEOUT = Duration.ofSeconds(5);

  private final CgroupLayout layout;
  private final CgroupFs fs;
  private final Syscalls sys;
  private final V1LimitWriter limits;
  private final V1StatsReader stats;

  CgroupV1Manager(CgroupLayout layout, CgroupFs fs, Syscalls sys) {
    this.layout = layout;
    this.fs = fs;
    this.sys = sys;
    this.limits = new V1LimitWriter(layout, fs);
    this.stats = new V1StatsReader(layout, fs);
  }

  @Override
  public CgroupLayout layout() {
    return layout;
  }

  /** Each distinct hierarchy root among the used controllers, with one controller naming it. */
  private List<String> hierarchies() {
    Set<Path> seen = new LinkedHashSet<>();
    List<String> names = new ArrayList<>();
    for (String c : USED) {
      if (layout.has(c) && seen.add(layout.hierarchies().get(c))) {
        names.add(c);
      }
    }
    return names;
  }

  @Override
  public void create(CgroupPath path) {
    List<CgroupPath> chain = new ArrayList<>();
    for (CgroupPath p = path; !p.isRoot(); p = p.parent()) {
      chain.addFirst(p);
    }
    for (String controller : hierarchies()) {
      boolean isCpuset = layout.hierarchies().get(controller).equals(layout.hierarchies().get("cpuset"));
      for (CgroupPath level : chain) {
        Path dir = layout.dir(controller, level);
        boolean made = fs.mkdir(dir);
        if (isCpuset && (made || fs.read(dir.resolve("cpuset.cpus")).isBlank())) {
          inheritCpuset(layout.dir(controller, level.parent()), dir);
        }
      }
    }
  }

  private void inheritCpuset(Path parent, Path dir) {
    for (String name : List.of("cpuset.cpus", "cpuset.mems")) {
      if (fs.read(dir.resolve(name)).isBlank()) {
        fs.write(dir.resolve(name), fs.read(parent.resolve(name)).trim());
      }
    }
  }

  @Override
  public void apply(CgroupPath path, CgroupLimits l) {
    limits.apply(path, l);
  }

  @Override
  public void addProcess(CgroupPath path, long pid) {
    for (String controller : hierarchies()) {
      fs.write(layout.dir(controller, path).resolve("cgroup.procs"), Long.toString(pid));
    }
  }

  @Override
  public List<Long> pids(CgroupPath path) {
    String controller = layout.has("freezer") ? "freezer" : hierarchies().getFirst();
    return CgroupTree.readPids(fs, layout.dir(controller, path).resolve("cgroup.procs"));
  }

  @Override
  public CgroupStats stats(CgroupPath path) {
    return stats.read(path);
  }

  @Override
  public long oomKills(CgroupPath path) {
    return stats.oomKills(path);
  }

  @Override
  public void freeze(CgroupPath path) {
    if (!layout.has("freezer")) {
      return;
    }
    Path state = layout.dir("freezer", path).resolve("freezer.state");
    // Writing FROZEN can stall in FREEZING while a task is in an uninterruptible sleep: rewrite.
    boolean frozen = Waits.until(FREEZE_TIMEOUT, () -> {
      fs.write(state, "FROZEN");
      return fs.read(state).trim().equals("FROZEN");
    });
    if (!frozen) {
      fs.write(state, "THAWED");
      throw new DeadlineExceededException("freeze cgroup " + path + ": still FREEZING after " + FREEZE_TIMEOUT);
    }
  }

  @Override
  public void thaw(CgroupPath path) {
    if (layout.has("freezer")) {
      fs.write(layout.dir("freezer", path).resolve("freezer.state"), "THAWED");
    }
  }

  @Override
  public void killAll(CgroupPath path, Duration timeout) {
    String controller = layout.has("freezer") ? "freezer" : hierarchies().getFirst();
    Path dir = layout.dir(controller, path);
    if (!fs.exists(dir)) {
      return;
    }
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
    boolean empty = Waits.until(timeout, () -> CgroupTree.deepestFirst(fs, dir).stream()
        .allMatch(d -> CgroupTree.readPids(fs, d.resolve("cgroup.procs")).isEmpty()));
    if (!empty) {
      throw new DeadlineExceededException("kill all in cgroup " + path + ": tasks remain after " + timeout);
    }
  }

  @Override
  public void delete(CgroupPath path, Duration timeout) {
    for (String controller : hierarchies()) {
      CgroupTree.remove(fs, layout.dir(controller, path), timeout);
    }
    for (Path other : layout.otherHierarchies()) {
      CgroupTree.remove(fs, path.isRoot() ? other : other.resolve(path.relative()), timeout);
    }
  }
}
