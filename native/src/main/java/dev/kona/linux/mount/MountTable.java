package dev.kona.linux.mount;

import dev.kona.common.error.InternalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** Reads the mount table of this process's mount namespace from {@code /proc/self/mountinfo}. */
public final class MountTable {
  private static final Path SELF = Path.of("/proc/self/mountinfo");

  private MountTable() {}

  public static List<MountInfo> read() {
    return read(SELF);
  }

  public static List<MountInfo> read(Path mountinfo) {
    try {
      return Files.readAllLines(mountinfo).stream()
          .filter(l -> !l.isBlank())
          .map(MountInfo::parse)
          .toList();
    } catch (IOException e) {
      throw new InternalException("read " + mountinfo + ": " + e.getMessage(), e);
    }
  }

  /** Mounts at or below {@code path}, deepest (and most recent) first: the order to unmount them. */
  public static List<MountInfo> under(String path) {
    List<MountInfo> all = read();
    return all.stream()
        .filter(m -> m.isAtOrUnder(path))
        .sorted(Comparator.comparingInt((MountInfo m) -> m.mountPoint().length())
            .thenComparingInt(all::indexOf)
            .reversed())
        .toList();
  }

  public static boolean isMountPoint(String path) {
    return read().stream().anyMatch(m -> m.mountPoint().equals(path));
  }

  /** The topmost mount at {@code path}, or null. */
  public static MountInfo at(String path) {
    MountInfo top = null;
    for (MountInfo m : read()) {
      if (m.mountPoint().equals(path)) {
        top = m;
      }
    }
    return top;
  }
}
