package dev.kona.engine;

import dev.kona.engine.plan.LaunchPlan;
import dev.kona.linux.cgroup.CgroupDriver;
import dev.kona.linux.cgroup.CgroupLayout;
import dev.kona.linux.cgroup.CgroupLimits;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.linux.cgroup.CgroupPath;
import dev.kona.oci.spec.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Cgroups through the cgroup module's {@link CgroupManager}: the spec's {@code linux.cgroupsPath}
 * (resolved by the kubelet's driver; {@code /kona/<id>} when empty) is created with the spec's
 * resources before the container starts; its process joins every hierarchy the manager made.
 * On v2 the container's cgroup also gets {@code memory.oom.group = 1} (unless the spec's
 * {@code unified} map says otherwise), as containerd and CRI-O set it for the kubelet: an OOM kill
 * takes the whole container, not one of its processes, and {@code memory.events} counts it.
 */
public final class ManagedCgroups implements CgroupPlacement {
  private static final Duration DRAIN = Duration.ofSeconds(5);

  private final CgroupManager manager;
  private final CgroupDriver driver;

  public ManagedCgroups(CgroupManager manager, CgroupDriver driver) {
    this.manager = manager;
    this.driver = driver;
  }

  @Override
  public Placed create(ContainerId id, Spec spec) {
    CgroupPath path = path(id, spec);
    manager.create(path);
    CgroupLimits limits = CgroupLimits.fromSpec(spec.linux() == null ? null : spec.linux().resources());
    CgroupLayout layout = manager.layout();
    if (layout.version() == CgroupLayout.CgroupVersion.V2
        && Files.exists(layout.dir(path).resolve("memory.oom.group"))) {
      limits = limits.withUnifiedDefault("memory.oom.group", "1");
    }
    manager.apply(path, limits);
    return locate(id, spec);
  }

  @Override
  public Placed locate(ContainerId id, Spec spec) {
    return placed(manager.layout(), path(id, spec));
  }

  /** The cgroup.procs files of {@code path} in every hierarchy where it exists, and its OOM counter. */
  static Placed placed(CgroupLayout layout, CgroupPath path) {
    if (layout.version() == CgroupLayout.CgroupVersion.V2) {
      Path dir = layout.dir(path);
      return new Placed(List.of(dir.resolve("cgroup.procs")),
          new LaunchPlan.OomCounter(dir.resolve("memory.events"), "oom_kill"));
    }
    List<Path> procs = new ArrayList<>();
    for (Path root : new LinkedHashSet<>(layout.distinctHierarchies())) {
      Path dir = path.isRoot() ? root : root.resolve(path.relative());
      if (Files.isDirectory(dir)) {
        procs.add(dir.resolve("cgroup.procs"));
      }
    }
    LaunchPlan.OomCounter oom = layout.has("memory")
        ? new LaunchPlan.OomCounter(layout.dir("memory", path).resolve("memory.oom_control"), "oom_kill")
        : null;
    return new Placed(procs, oom);
  }

  @Override
  public void remove(ContainerId id, Spec spec) {
    CgroupPath path = path(id, spec);
    manager.killAll(path, DRAIN);
    manager.delete(path, DRAIN);
  }

  private CgroupPath path(ContainerId id, Spec spec) {
    String cgroupsPath = spec.linux() == null ? null : spec.linux().cgroupsPath();
    if (cgroupsPath == null || cgroupsPath.isEmpty()) {
      return CgroupPath.parse("/kona/" + id.value());
    }
    return driver.resolve(cgroupsPath);
  }
}
