package dev.kona.runtime.observe;

import dev.kona.linux.cgroup.CgroupDriver;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.linux.cgroup.CgroupPath;
import dev.kona.linux.cgroup.CgroupStats;
import dev.kona.linux.cgroup.Pressure;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.SpecJson;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.sandbox.SandboxRecord;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A container's cgroup, named by {@code linux.cgroupsPath} in its bundle's config.json, and its
 * usage. The path never changes for a container, so the spec is read once per container.
 */
final class ContainerCgroups {

  private final CgroupManager cgroups;
  private final UsageFiles usageFiles;
  private final CgroupDriver driver;
  private final ConcurrentMap<String, CgroupPath> paths = new ConcurrentHashMap<>();

  ContainerCgroups(CgroupManager cgroups, CgroupDriver driver) {
    this.cgroups = cgroups;
    this.usageFiles = new UsageFiles(cgroups.layout());
    this.driver = driver;
  }

  /** Every figure the cgroup manager reads (throttling, OOM, user/system split): for the CRI metrics. */
  CgroupStats stats(ContainerRecord container) {
    return cgroups.stats(pathOf(container));
  }

  /** Only the figures the CRI stats messages carry, from fewer files; the rest read as zero. */
  CgroupStats usage(ContainerRecord container) {
    return usageFiles.read(pathOf(container));
  }

  /**
   * The PSI of the pod's own cgroup, the parent of its containers' (v2; null on v1): only for a
   * pod with a cgroup_parent of its own, since without one the parent is shared by every pod.
   */
  Pressure podPressure(SandboxRecord sandbox, ContainerRecord member) {
    if (sandbox.spec().cgroupParent().isEmpty()) {
      return null;
    }
    return usageFiles.pressure(pathOf(member).parent());
  }

  CgroupPath pathOf(ContainerRecord container) {
    return paths.computeIfAbsent(container.id(), id -> resolve(container));
  }

  void retainOnly(Set<String> ids) {
    paths.keySet().retainAll(ids);
  }

  private CgroupPath resolve(ContainerRecord container) {
    Spec spec = SpecJson.read(Path.of(container.bundle()));
    String cgroupsPath = spec.linux() == null ? null : spec.linux().cgroupsPath();
    // The engine places a container without a cgroupsPath here (ManagedCgroups).
    if (cgroupsPath == null || cgroupsPath.isEmpty()) {
      return CgroupPath.parse("/kona/" + container.id());
    }
    return driver.resolve(cgroupsPath);
  }
}
