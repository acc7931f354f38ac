package dev.kona.server.check;

import dev.kona.common.error.KonaException;
import dev.kona.common.error.UnavailableException;
import dev.kona.linux.cgroup.CgroupLayout;
import dev.kona.linux.mount.MountInfo;
import dev.kona.linux.systemd.SystemdManager;
import dev.kona.runtime.CgroupDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The cgroup layout as the daemon detects it ({@link CgroupLayout}), the controllers Kona puts
 * containers in, and the configured cgroup driver against the host.
 */
final class CgroupChecks {

  /** Without these a container's limits are not enforced (and on v1 its devices not confined). */
  private static final Set<String> REQUIRED_V2 = Set.of("cpu", "memory", "pids");
  private static final Set<String> REQUIRED_V1 = Set.of("cpu", "memory", "pids", "devices");

  private final List<MountInfo> mounts;
  private final Path systemdRunDir;
  private final Supplier<SystemdManager> systemd;

  /**
   * @param systemdRunDir {@code /run/systemd/system}, which exists when systemd is PID 1
   * @param systemd connects to systemd on the system bus, as the daemon does
   */
  CgroupChecks(List<MountInfo> mounts, Path systemdRunDir, Supplier<SystemdManager> systemd) {
    this.mounts = mounts;
    this.systemdRunDir = systemdRunDir;
    this.systemd = systemd;
  }

  List<CheckResult> all() {
    CgroupLayout layout;
    try {
      layout = CgroupLayout.detect(mounts);
    } catch (KonaException e) {
      return List.of(CheckResult.fail("cgroups", e.getMessage()));
    }
    return List.of(mode(layout), controllers(layout));
  }

  CheckResult mode(CgroupLayout layout) {
    if (layout.version() == CgroupLayout.CgroupVersion.V2) {
      return CheckResult.ok("cgroups", "v2 (unified) at " + layout.unifiedRoot());
    }
    boolean hybrid = mounts.stream().anyMatch(m -> m.fsType().equals("cgroup2"));
    return CheckResult.warn("cgroups", (hybrid ? "hybrid (v1 controllers, an empty cgroup2 beside them)" : "v1")
        + ": Kona runs, but the kubelet from 1.35 refuses cgroup v1 unless failCgroupV1 is false;"
        + " boot with systemd.unified_cgroup_hierarchy=1 for v2");
  }

  CheckResult controllers(CgroupLayout layout) {
    boolean v2 = layout.version() == CgroupLayout.CgroupVersion.V2;
    Set<String> present;
    if (v2) {
      try {
        present = Set.of(Files.readString(layout.unifiedRoot().resolve("cgroup.controllers")).trim().split("\\s+"));
      } catch (IOException e) {
        return CheckResult.fail("cgroup_controllers", "read " + layout.unifiedRoot() + "/cgroup.controllers: " + e);
      }
    } else {
      present = layout.hierarchies().keySet();
    }
    List<String> missingRequired = new ArrayList<>();
    List<String> missingOther = new ArrayList<>();
    for (String c : layout.controllersUsed()) {
      if (!present.contains(c)) {
        (v2 ? REQUIRED_V2 : REQUIRED_V1).stream().filter(c::equals).findAny()
            .ifPresentOrElse(missingRequired::add, () -> missingOther.add(c));
      }
    }
    List<String> have = layout.controllersUsed().stream().filter(present::contains).toList();
    if (!missingRequired.isEmpty()) {
      return CheckResult.fail("cgroup_controllers", "missing " + String.join(", ", missingRequired)
          + " (limits would not be enforced); present: " + String.join(", ", have));
    }
    if (!missingOther.isEmpty()) {
      return CheckResult.warn("cgroup_controllers", String.join(", ", have) + "; missing "
          + String.join(", ", missingOther) + " (their limits and stats are skipped)");
    }
    return CheckResult.ok("cgroup_controllers", String.join(", ", have));
  }

  CheckResult driver(CgroupDriver configured) {
    boolean systemdIsInit = Files.isDirectory(systemdRunDir);
    if (configured == CgroupDriver.SYSTEMD) {
      try (SystemdManager manager = systemd.get()) {
        return CheckResult.ok("cgroup_driver", "systemd: systemd " + manager.version() + " answers on the system bus");
      } catch (UnavailableException e) {
        return CheckResult.fail("cgroup_driver", "cgroup_driver = \"systemd\", but systemd does not answer on the "
            + "system bus (" + e.getMessage() + "); run Kona under systemd with D-Bus, or set "
            + "cgroup_driver = \"cgroupfs\"" + (systemdIsInit ? "" : " (systemd is not PID 1 here)"));
      }
    }
    if (systemdIsInit) {
      return CheckResult.warn("cgroup_driver", "cgroupfs on a host run by systemd: two managers share the cgroup "
          + "tree; set cgroup_driver = \"systemd\" (the kubelet follows through RuntimeConfig)");
    }
    return CheckResult.ok("cgroup_driver", "cgroupfs (systemd is not PID 1 here)");
  }
}
