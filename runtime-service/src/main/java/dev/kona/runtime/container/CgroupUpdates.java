package dev.kona.runtime.container;

import dev.kona.linux.cgroup.CgroupDriver;
import dev.kona.linux.cgroup.CgroupLimits;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.linux.systemd.ScopeResources;
import dev.kona.oci.spec.Resources;

/** Writes new limits into a running container's cgroups (in-place resize, the CPU manager). */
public final class CgroupUpdates {

  private final CgroupManager manager;
  private final CgroupDriver driver;
  private final ScopeResources scopes;

  /** {@code scopes}: the systemd driver's unit properties, null for cgroupfs (files only). */
  public CgroupUpdates(CgroupManager manager, CgroupDriver driver, ScopeResources scopes) {
    this.manager = manager;
    this.driver = driver;
    this.scopes = scopes;
  }

  public CgroupDriver driver() {
    return driver;
  }

  public void update(String cgroupsPath, Resources resources) {
    if (scopes != null && driver == CgroupDriver.SYSTEMD) {
      scopes.apply(cgroupsPath, CgroupLimits.fromSpec(resources));
      return;
    }
    manager.apply(driver.resolve(cgroupsPath), CgroupLimits.fromSpec(resources));
  }
}
