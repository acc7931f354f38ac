package dev.kona.linux.cgroup;

import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.syscall.Syscalls;
import java.time.Duration;
import java.util.List;

/**
 * Creates, limits, inspects and removes cgroups, for cgroup v1 or v2 ({@link #forLayout}).
 * Paths are {@link CgroupPath}s relative to the hierarchy roots; the kubelet's cgroup_parent
 * becomes one through {@link CgroupDriver}.
 *
 * <p>Lifecycle: {@link #create} (idempotent, with missing ancestors), {@link #apply} limits,
 * hand the path to the helper, which moves the container's init into it ({@link #addProcess}
 * does the same from Java); {@link #apply} again to update; {@link #stats} any time;
 * {@link #killAll} then {@link #delete} at the end. Delete of a missing cgroup is success.
 */
public interface CgroupManager {

  CgroupLayout layout();

  /** Creates {@code path} and its missing ancestors in every hierarchy Kona uses. */
  void create(CgroupPath path);

  /** Writes every non-null limit; an update is the same call with the changed fields. */
  void apply(CgroupPath path, CgroupLimits limits);

  void addProcess(CgroupPath path, long pid);

  /** Pids in the cgroup (not its children). */
  List<Long> pids(CgroupPath path);

  CgroupStats stats(CgroupPath path);

  /** OOM kills so far in this cgroup: compare before and after an exit to report OOMKilled. */
  long oomKills(CgroupPath path);

  void freeze(CgroupPath path);

  void thaw(CgroupPath path);

  /**
   * SIGKILLs every process in the cgroup and its children, freezing first so none can fork away,
   * and waits up to {@code timeout} for them to be gone.
   */
  void killAll(CgroupPath path, Duration timeout);

  /**
   * Removes the cgroup and its child cgroups, deepest first, retrying while exiting tasks drain
   * (EBUSY) for up to {@code timeout}.
   */
  void delete(CgroupPath path, Duration timeout);

  static CgroupManager forLayout(CgroupLayout layout, CgroupFs fs, Syscalls sys) {
    return layout.version() == CgroupLayout.CgroupVersion.V2
        ? new CgroupV2Manager(layout, fs, sys)
        : new CgroupV1Manager(layout, fs, sys);
  }

  /** The manager for this machine's cgroups. */
  static CgroupManager detect() {
    return forLayout(CgroupLayout.detect(), new KernelCgroupFs(),
        LinuxSyscalls.get());
  }
}
