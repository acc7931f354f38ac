package dev.kona.linux.cgroup;

import dev.kona.common.error.InvalidArgumentException;

/**
 * systemd's slice naming, done here without systemd: a dash in a slice name means nesting, so
 * {@code kubepods-burstable-pod1234.slice} lives at
 * {@code /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice}.
 */
public final class SystemdSlice {
  private SystemdSlice() {}

  public static CgroupPath expand(String slice) {
    if (slice.equals("-.slice")) {
      return CgroupPath.ROOT;
    }
    if (!slice.endsWith(".slice") || slice.contains("/")) {
      throw new InvalidArgumentException(
          "systemd slice: expected a name like kubepods-burstable.slice, got \"" + slice + "\"");
    }
    String name = slice.substring(0, slice.length() - ".slice".length());
    if (name.isEmpty() || name.startsWith("-") || name.endsWith("-") || name.contains("--")) {
      throw new InvalidArgumentException("systemd slice: bad dashes in \"" + slice + "\"");
    }
    StringBuilder path = new StringBuilder();
    int dash = -1;
    do {
      dash = name.indexOf('-', dash + 1);
      String prefix = dash < 0 ? name : name.substring(0, dash);
      path.append('/').append(prefix).append(".slice");
    } while (dash >= 0);
    return CgroupPath.parse(path.toString());
  }

  /**
   * The path of a systemd-driver {@code cgroupsPath} {@code slice:prefix:name}: the expanded slice
   * and a scope unit {@code prefix-name.scope} (a name ending in {@code .slice} is a child slice).
   */
  public static CgroupPath resolveSpecPath(String cgroupsPath) {
    String[] parts = cgroupsPath.split(":", -1);
    if (parts.length != 3) {
      throw new InvalidArgumentException(
          "cgroupsPath: expected slice:prefix:name for the systemd driver, got \"" + cgroupsPath + "\"");
    }
    CgroupPath slice = expand(parts[0].isEmpty() ? "system.slice" : parts[0]);
    String name = parts[2];
    if (name.endsWith(".slice")) {
      return slice.child(name);
    }
    return slice.child(parts[1].isEmpty() ? name + ".scope" : parts[1] + "-" + name + ".scope");
  }
}
