package dev.kona.engine;

import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import dev.kona.linux.cgroup.CgroupLayout;
import dev.kona.linux.cgroup.CgroupLimits;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.linux.cgroup.CgroupPath;
import dev.kona.linux.cgroup.SystemdSlice;
import dev.kona.linux.systemd.ResourceProperties;
import dev.kona.linux.systemd.ScopeUnit;
import dev.kona.linux.systemd.SystemdManager;
import dev.kona.linux.systemd.UnitProperty;
import dev.kona.oci.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The systemd cgroup driver, as runc's: each container is a transient scope
 * {@code <prefix>-<id>.scope} (from its {@code cgroupsPath} {@code slice:prefix:name}) in its pod's
 * slice, created over D-Bus with {@code Delegate=yes} and the limits systemd has properties for;
 * the cgroup manager then writes every limit as files too (runc's systemd driver does the same), so
 * the ones without a property (hugetlb, unified, ...) are in force as well.
 *
 * <p>A scope needs a process when it is created ("Scope has no PIDs. Refusing."). The container's
 * own process does not exist yet: the helper's child joins the plan's cgroups first thing, before
 * it unshares its cgroup namespace and sets up the rootfs. So the scope is created with a
 * placeholder, {@code kona-shim hold}, which the child then joins as it joins a cgroupfs cgroup;
 * {@link #launched} ends the placeholder once the helper has reported the child ready (or failed).
 * The container's init thus runs all of its setup, and later its program, inside its scope with its
 * limits, and its cgroup namespace is rooted there.
 *
 * <p>Slices: a pod's slice and its parents that are not active are started as transient slices
 * marked by their description; such a slice is stopped again when its last container is removed.
 * Slices the kubelet (or anyone else) made are left alone. Everything is named by the saved spec,
 * so a new daemon finds and removes the units of an earlier one.
 */
public final class SystemdCgroups implements CgroupPlacement {
  private static final Logger log = LoggerFactory.getLogger(SystemdCgroups.class);
  static final String SLICE_DESCRIPTION = "Kona pod slice (stopped with its last container)";
  private static final Duration DRAIN = Duration.ofSeconds(10);

  private final SystemdManager systemd;
  private final CgroupManager manager;
  private final Path shim;
  private final Map<ContainerId, Process> holders = new ConcurrentHashMap<>();
  /** Slices are created and removed under this lock, so a slice is never stopped under a new scope. */
  private final Object slices = new Object();

  public SystemdCgroups(SystemdManager systemd, CgroupManager manager, Path shim) {
    this.systemd = systemd;
    this.manager = manager;
    this.shim = shim;
  }

  /** The unit of a container: its spec's cgroupsPath, or {@code kona.slice:kona:<id>} without one. */
  static ScopeUnit unit(ContainerId id, Spec spec) {
    String cgroupsPath = spec.linux() == null ? null : spec.linux().cgroupsPath();
    return ScopeUnit.parse(cgroupsPath == null || cgroupsPath.isEmpty() ? "kona.slice:kona:" + id.value() : cgroupsPath);
  }

  /** The properties a container's scope is created with: placement, delegation, accounting, limits. */
  static List<UnitProperty> scopeProperties(ContainerId id, ScopeUnit unit, long pid, CgroupLimits limits) {
    List<UnitProperty> props = new ArrayList<>(List.of(
        UnitProperty.string("Description", "Kona container " + id.value()),
        UnitProperty.string("Slice", unit.slice()),
        UnitProperty.bool("Delegate", true),
        UnitProperty.bool("DefaultDependencies", false),
        UnitProperty.string("CollectMode", "inactive-or-failed"),
        UnitProperty.pids("PIDs", List.of(pid)),
        UnitProperty.bool("CPUAccounting", true),
        UnitProperty.bool("MemoryAccounting", true),
        UnitProperty.bool("IOAccounting", true),
        UnitProperty.bool("TasksAccounting", true)));
    props.addAll(ResourceProperties.of(limits));
    return props;
  }

  @Override
  public Placed create(ContainerId id, Spec spec) {
    ScopeUnit unit = unit(id, spec);
    CgroupLimits limits = CgroupLimits.fromSpec(spec.linux() == null ? null : spec.linux().resources());
    Process holder = hold(id);
    try {
      synchronized (slices) {
        ensureSlices(unit);
        systemd.startTransientUnit(unit.scope(), scopeProperties(id, unit, holder.pid(), limits));
      }
      manager.apply(unit.path(), limits);
      return ManagedCgroups.placed(manager.layout(), unit.path());
    } catch (RuntimeException e) {
      try {
        remove(id, spec);
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e instanceof KonaException k ? k.withContext("place container " + id + " in " + unit.scope()) : e;
    }
  }

  @Override
  public Placed locate(ContainerId id, Spec spec) {
    return ManagedCgroups.placed(manager.layout(), unit(id, spec).path());
  }

  @Override
  public void launched(ContainerId id) {
    release(id);
  }

  @Override
  public void remove(ContainerId id, Spec spec) {
    release(id);
    ScopeUnit unit = unit(id, spec);
    // Kill first (cgroup.kill on v2): StopUnit would send SIGTERM and wait TimeoutStopSec for the rest.
    manager.killAll(unit.path(), DRAIN);
    systemd.stopUnit(unit.scope());
    systemd.resetFailedUnit(unit.scope());
    // Cgroups the container made below its delegated scope keep it from going; systemd removes the
    // scope's own cgroup, these are Kona's to remove.
    manager.delete(unit.path(), DRAIN);
    synchronized (slices) {
      removeSlices(unit);
    }
  }

  private void ensureSlices(ScopeUnit unit) {
    for (String slice : unit.slices()) {
      String state = systemd.activeState(slice).orElse("");
      if (state.equals("active")) {
        continue;
      }
      if (!state.isEmpty()) {
        systemd.resetFailedUnit(slice); // loaded but inactive or failed: the scope's dependency starts it
        continue;
      }
      systemd.startTransientUnit(slice, List.of(
          UnitProperty.string("Description", SLICE_DESCRIPTION),
          UnitProperty.bool("DefaultDependencies", false)));
    }
  }

  /** Innermost first: stops each slice Kona made that holds no cgroup any more. */
  private void removeSlices(ScopeUnit unit) {
    List<String> chain = new ArrayList<>(unit.slices());
    for (String slice : chain.reversed()) {
      if (!systemd.unitProperty(slice, "Description").orElse("").equals(SLICE_DESCRIPTION)
          || hasChildren(SystemdSlice.expand(slice))) {
        return;
      }
      systemd.stopUnit(slice);
      systemd.resetFailedUnit(slice);
    }
  }

  private boolean hasChildren(CgroupPath path) {
    CgroupLayout layout = manager.layout();
    List<Path> dirs = layout.version() == CgroupLayout.CgroupVersion.V2
        ? List.of(layout.dir(path))
        : layout.distinctHierarchies().stream().map(root -> root.resolve(path.relative())).toList();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.anyMatch(Files::isDirectory)) {
          return true;
        }
      } catch (IOException e) {
        return true; // cannot tell: leave the slice
      }
    }
    return false;
  }

  /** Starts {@code kona-shim hold}, the scope's first process until the container's joins it. */
  private Process hold(ContainerId id) {
    try {
      Process p = new ProcessBuilder(shim.toString(), "hold")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      Process earlier = holders.put(id, p);
      if (earlier != null) {
        end(earlier);
      }
      return p;
    } catch (IOException e) {
      throw new InternalException("start " + shim + " hold for container " + id, e);
    }
  }

  private void release(ContainerId id) {
    Process p = holders.remove(id);
    if (p != null) {
      end(p);
    }
  }

  private static void end(Process p) {
    try {
      p.getOutputStream().close(); // EOF on its stdin: it exits
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      p.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
    if (p.isAlive()) {
      log.warn("placeholder process {} did not exit", p.pid());
    }
  }
}
