package dev.kona.linux.systemd;

import dev.kona.linux.cgroup.CgroupLimits;
import dev.kona.linux.cgroup.CgroupManager;

/**
 * New limits for a running container under the systemd driver: the unit properties systemd has
 * ({@code SetUnitProperties}, runtime), so that systemd does not put the old values back when it
 * re-applies its units' settings (on daemon-reload), then every limit as files, as at creation.
 * The same for Kona's engine and for runc/crun with {@code --systemd-cgroup}: both name the scope
 * by the spec's {@code slice:prefix:name}.
 */
public final class ScopeResources {
  private final SystemdManager systemd;
  private final CgroupManager manager;

  public ScopeResources(SystemdManager systemd, CgroupManager manager) {
    this.systemd = systemd;
    this.manager = manager;
  }

  public void apply(String cgroupsPath, CgroupLimits limits) {
    ScopeUnit unit = ScopeUnit.parse(cgroupsPath);
    var properties = ResourceProperties.of(limits);
    if (!properties.isEmpty()) {
      systemd.setUnitProperties(unit.scope(), properties);
    }
    manager.apply(unit.path(), limits);
  }
}
