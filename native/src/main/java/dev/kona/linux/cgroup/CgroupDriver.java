package dev.kona.linux.cgroup;

import dev.kona.common.error.InvalidArgumentException;
import java.util.Locale;

/**
 * How the kubelet names cgroups ({@code cgroupDriver} in its config, which Kona must match).
 * {@link #CGROUPFS}: {@code cgroup_parent} is a path such as {@code /kubepods/burstable/pod<uid>}.
 * {@link #SYSTEMD}: it is a slice such as {@code kubepods-burstable-pod<uid>.slice}, and a
 * container's {@code cgroupsPath} is {@code slice:prefix:name}.
 */
public enum CgroupDriver {
  CGROUPFS,
  SYSTEMD;

  public static CgroupDriver parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "cgroupfs" -> CGROUPFS;
      case "systemd" -> SYSTEMD;
      default -> throw new InvalidArgumentException(
          "cgroup driver: expected cgroupfs or systemd, got \"" + text + "\"");
    };
  }

  /** The path of a pod's cgroup from the sandbox's {@code cgroup_parent}. */
  public CgroupPath podPath(String cgroupParent) {
    return this == SYSTEMD ? SystemdSlice.expand(cgroupParent) : CgroupPath.parse(cgroupParent);
  }

  /**
   * The OCI {@code cgroupsPath} for a container of the pod: a path for cgroupfs,
   * {@code slice:prefix:id} for systemd, which {@link #resolve} turns back into a path.
   */
  public String containerCgroupsPath(String cgroupParent, String prefix, String containerId) {
    return this == SYSTEMD
        ? cgroupParent + ":" + prefix + ":" + containerId
        : CgroupPath.parse(cgroupParent).child(containerId).value();
  }

  /** The cgroup path named by an OCI {@code cgroupsPath} under this driver. */
  public CgroupPath resolve(String cgroupsPath) {
    return this == SYSTEMD ? SystemdSlice.resolveSpecPath(cgroupsPath) : CgroupPath.parse(cgroupsPath);
  }
}
