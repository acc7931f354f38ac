package dev.kona.linux.cgroup;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.linux.mount.MountInfo;
import dev.kona.linux.mount.MountTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the cgroup controllers are mounted, detected once at start from the mount table. v2:
 * one unified tree at {@code /sys/fs/cgroup}. v1 (and the "hybrid" layout with an empty cgroup2
 * at {@code /sys/fs/cgroup/unified}): one hierarchy per controller or group of co-mounted
 * controllers, e.g. {@code cpu} at {@code /sys/fs/cgroup/cpu} or {@code cpu,cpuacct} together.
 */
public record CgroupLayout(
    CgroupVersion version, Path unifiedRoot, Map<String, Path> hierarchies, List<Path> otherHierarchies) {

  public enum CgroupVersion { V1, V2 }

  static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices",
      "freezer", "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc");
  private static final Path DEFAULT_ROOT = Path.of("/sys/fs/cgroup");

  /**
   * {@code otherHierarchies} (v1 only): mounted hierarchies without a controller Kona writes, such
   * as {@code name=systemd} and the hybrid layout's empty cgroup2; runc and crun create the
   * container's path there too, so deletion must clean them.
   */
  public CgroupLayout {
    hierarchies = Collections.unmodifiableMap(new LinkedHashMap<>(hierarchies));
    otherHierarchies = otherHierarchies == null ? List.of() : List.copyOf(otherHierarchies);
  }

  public static CgroupLayout v2(Path root) {
    return new CgroupLayout(CgroupVersion.V2, root, Map.of(), List.of());
  }

  public static CgroupLayout v1(Map<String, Path> hierarchies) {
    return new CgroupLayout(CgroupVersion.V1, null, hierarchies, List.of());
  }

  public static CgroupLayout detect() {
    return detect(MountTable.read());
  }

  public static CgroupLayout detect(List<MountInfo> mounts) {
    Map<String, Path> v1 = new LinkedHashMap<>();
    List<Path> others = new ArrayList<>();
    for (MountInfo m : mounts) {
      if (m.fsType().equals("cgroup2") && m.mountPoint().equals(DEFAULT_ROOT.toString())) {
        return v2(DEFAULT_ROOT);
      }
      if (m.fsType().equals("cgroup2") && m.root().equals("/")) {
        others.add(Path.of(m.mountPoint()));
      }
      if (m.fsType().equals("cgroup") && m.root().equals("/")) {
        boolean controller = false;
        for (String option : m.superOptions()) {
          if (V1_CONTROLLERS.contains(option)) {
            v1.putIfAbsent(option, Path.of(m.mountPoint()));
            controller = true;
          }
        }
        if (!controller) {
          others.add(Path.of(m.mountPoint()));
        }
      }
    }
    if (v1.isEmpty()) {
      throw new FailedPreconditionException(
          "detect cgroups: expected cgroup2 on /sys/fs/cgroup or v1 controller mounts, found neither");
    }
    return new CgroupLayout(CgroupVersion.V1, null, v1, others);
  }

  /** The controllers Kona puts containers in on this layout (ones the host lacks are skipped). */
  public List<String> controllersUsed() {
    return version == CgroupVersion.V2 ? CgroupV2Manager.WANTED : CgroupV1Manager.USED;
  }

  public boolean has(String controller) {
    return hierarchies.containsKey(controller);
  }

  /**
   * v1: the directory of {@code path} in the hierarchy of {@code controller}; v2: the cgroup's one
   * directory, whatever the controller.
   */
  public Path dir(String controller, CgroupPath path) {
    if (version == CgroupVersion.V2) {
      return dir(path);
    }
    Path root = hierarchies.get(controller);
    return path.isRoot() ? root : root.resolve(path.relative());
  }

  /** v2: the directory of {@code path}. */
  public Path dir(CgroupPath path) {
    return path.isRoot() ? unifiedRoot : unifiedRoot.resolve(path.relative());
  }

  /** v1: the distinct hierarchy roots (co-mounted controllers share one). */
  public List<Path> distinctHierarchies() {
    return hierarchies.values().stream().distinct().toList();
  }
}
