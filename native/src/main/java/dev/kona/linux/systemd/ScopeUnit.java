package dev.kona.linux.systemd;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.linux.cgroup.CgroupPath;
import dev.kona.linux.cgroup.SystemdSlice;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's unit under the systemd cgroup driver, read from its OCI {@code cgroupsPath}
 * {@code slice:prefix:name} as runc reads it: the scope {@code prefix-name.scope} in {@code slice}
 * ({@code system.slice} when empty), whose cgroup is {@link #path}.
 */
public record ScopeUnit(String slice, String scope, CgroupPath path) {

  public static ScopeUnit parse(String cgroupsPath) {
    CgroupPath path = SystemdSlice.resolveSpecPath(cgroupsPath); // validates the form and the slice
    String[] parts = cgroupsPath.split(":", -1);
    String slice = parts[0].isEmpty() ? "system.slice" : parts[0];
    String name = parts[2];
    if (name.isEmpty() || name.endsWith(".slice")) {
      throw new InvalidArgumentException("cgroupsPath: expected slice:prefix:name with a container name, got \""
          + cgroupsPath + "\"");
    }
    return new ScopeUnit(slice, path.name(), path);
  }

  /**
   * The slice and its ancestors as systemd nests them, outermost first:
   * {@code kubepods-besteffort-pod1.slice} is in {@code kubepods-besteffort.slice}, in
   * {@code kubepods.slice}; the root slice {@code -.slice} is not listed.
   */
  public List<String> slices() {
    List<String> out = new ArrayList<>();
    if (slice.equals("-.slice")) {
      return out;
    }
    String name = slice.substring(0, slice.length() - ".slice".length());
    int dash = -1;
    do {
      dash = name.indexOf('-', dash + 1);
      out.add((dash < 0 ? name : name.substring(0, dash)) + ".slice");
    } while (dash >= 0);
    return out;
  }
}
