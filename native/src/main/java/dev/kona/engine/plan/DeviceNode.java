package dev.kona.engine.plan;

/** A device node to mknod in the container's /dev; {@code mode} includes the S_IFCHR/S_IFBLK/S_IFIFO bits. */
public record DeviceNode(String path, long mode, long major, long minor, long uid, long gid) {
  public static final long S_IFCHR = 0020000;
  public static final long S_IFBLK = 0060000;
  public static final long S_IFIFO = 0010000;

  public DeviceNode {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("device path: expected absolute, got " + path);
    }
  }

  public static DeviceNode character(String path, long major, long minor) {
    return new DeviceNode(path, S_IFCHR | 0666, major, minor, 0, 0);
  }
}
