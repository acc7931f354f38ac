package dev.kona.linux.mount;

import static dev.kona.linux.syscall.MountFlags.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * fstab-style options translated into what {@code mount(2)} takes: flags, the filesystem's data
 * string, whether it is a (recursive) bind, and the propagation changes to apply afterwards, each
 * a separate {@code mount(2)} call as the kernel requires.
 */
record MountOptions(long flags, String data, boolean bind, boolean recursive, List<Long> propagation) {

  private static final Map<String, Long> SET = Map.ofEntries(
      Map.entry("ro", MS_RDONLY), Map.entry("nosuid", MS_NOSUID), Map.entry("nodev", MS_NODEV),
      Map.entry("noexec", MS_NOEXEC), Map.entry("sync", MS_SYNCHRONOUS),
      Map.entry("remount", MS_REMOUNT), Map.entry("mand", MS_MANDLOCK),
      Map.entry("dirsync", MS_DIRSYNC), Map.entry("nosymfollow", MS_NOSYMFOLLOW),
      Map.entry("noatime", MS_NOATIME), Map.entry("nodiratime", MS_NODIRATIME),
      Map.entry("relatime", MS_RELATIME), Map.entry("strictatime", MS_STRICTATIME),
      Map.entry("lazytime", MS_LAZYTIME), Map.entry("silent", MS_SILENT));

  private static final Map<String, Long> CLEAR = Map.ofEntries(
      Map.entry("rw", MS_RDONLY), Map.entry("suid", MS_NOSUID), Map.entry("dev", MS_NODEV),
      Map.entry("exec", MS_NOEXEC), Map.entry("async", MS_SYNCHRONOUS),
      Map.entry("nomand", MS_MANDLOCK), Map.entry("atime", MS_NOATIME),
      Map.entry("diratime", MS_NODIRATIME), Map.entry("norelatime", MS_RELATIME),
      Map.entry("nostrictatime", MS_STRICTATIME), Map.entry("symfollow", MS_NOSYMFOLLOW));

  private static final Map<String, Long> PROPAGATION = Map.of(
      "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
      "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
      "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
      "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

  /** Flags that a bind mount only takes on a second, remounting call. */
  static final long BIND_REMOUNT_FLAGS = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
      | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_NOSYMFOLLOW;

  static MountOptions parse(String type, List<String> options) {
    long flags = 0;
    boolean bind = type.equals("bind");
    boolean recursive = false;
    List<String> data = new ArrayList<>();
    List<Long> propagation = new ArrayList<>();
    for (String option : options) {
      if (option.equals("defaults") || option.isEmpty()) {
        continue;
      }
      if (option.equals("bind")) {
        bind = true;
      } else if (option.equals("rbind")) {
        bind = true;
        recursive = true;
      } else if (SET.containsKey(option)) {
        flags |= SET.get(option);
      } else if (CLEAR.containsKey(option)) {
        flags &= ~CLEAR.get(option);
      } else if (PROPAGATION.containsKey(option)) {
        propagation.add(PROPAGATION.get(option));
      } else {
        data.add(option);
      }
    }
    return new MountOptions(flags, data.isEmpty() ? null : String.join(",", data), bind, recursive,
        List.copyOf(propagation));
  }
}
