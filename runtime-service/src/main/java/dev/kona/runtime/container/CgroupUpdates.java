package dev.kona.runtime.container;

import dev.kona.linux.cgroup.CgroupDriver;
import dev.kona.linux.cgroup.CgroupLimits;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.oci.spec.Resources;

/** Writes new limits into a running container's cgroups (in-place resize, the CPU manager). */
public final class CgroupUpdates {

  private final CgroupManager manager;
  private final CgroupDriver driver;

  public CgroupUpdates(CgroupManager manager, CgroupDriver driver) {
    this.manager = manager;
    this.driver = driver;
  }

  public CgroupDriver driver() {
    return driver;
  }

  public void update(String cgroupsPath, Resources resources) {
    manager.apply(driver.resolve(cgroupsPath), CgroupLimits.fromSpec(resources));
  }
}
