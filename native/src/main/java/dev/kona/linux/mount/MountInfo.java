package dev.kona.linux.mount;

import dev.kona.common.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One line of {@code /proc/<pid>/mountinfo} (proc(5)): ids, the device, the root within the
 * filesystem, the mount point, per-mount options, optional fields ({@code shared:N},
 * {@code master:N}, {@code unbindable}), filesystem type, source and super-block options.
 * Paths are decoded from the kernel's octal escapes.
 */
public record MountInfo(
    int mountId,
    int parentId,
    String device,
    String root,
    String mountPoint,
    List<String> mountOptions,
    List<String> optionalFields,
    String fsType,
    String source,
    List<String> superOptions) {

  public MountInfo {
    mountOptions = List.copyOf(mountOptions);
    optionalFields = List.copyOf(optionalFields);
    superOptions = List.copyOf(superOptions);
  }

  public static MountInfo parse(String line) {
    String[] f = line.split(" ");
    int dash = Arrays.asList(f).indexOf("-");
    if (f.length < 10 || dash < 6 || f.length < dash + 4) {
      throw new InvalidArgumentException("mountinfo line: expected 10+ fields with \" - \", got \"" + line + "\"");
    }
    try {
      return new MountInfo(
          Integer.parseInt(f[0]),
          Integer.parseInt(f[1]),
          f[2],
          Mount.unescape(f[3]),
          Mount.unescape(f[4]),
          List.of(f[5].split(",")),
          new ArrayList<>(Arrays.asList(f).subList(6, dash)),
          f[dash + 1],
          Mount.unescape(f[dash + 2]),
          List.of(f[dash + 3].split(",")));
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("mountinfo line: bad mount id in \"" + line + "\"", e);
    }
  }

  public boolean readOnly() {
    return mountOptions.contains("ro");
  }

  /** {@code shared}, {@code slave}, {@code unbindable} or {@code private}, as findmnt reports it. */
  public String propagation() {
    boolean shared = optionalFields.stream().anyMatch(o -> o.startsWith("shared:"));
    boolean slave = optionalFields.stream().anyMatch(o -> o.startsWith("master:"));
    if (optionalFields.contains("unbindable")) {
      return "unbindable";
    }
    return shared && slave ? "shared,slave" : shared ? "shared" : slave ? "slave" : "private";
  }

  /** True when the mount point is {@code path} or lies below it. */
  public boolean isAtOrUnder(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    return mountPoint.equals(p) || mountPoint.startsWith(p.equals("/") ? "/" : p + "/");
  }
}
