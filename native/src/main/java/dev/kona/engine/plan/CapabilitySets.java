package dev.kona.engine.plan;

import java.util.List;

/** The five capability sets as bit masks (bit n is capability n). */
public record CapabilitySets(long bounding, long effective, long permitted, long inheritable, long ambient) {
  /** Capability names by number, as the kernel numbers them. */
  public static final List<String> NAMES = List.of(
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
      "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
      "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
      "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
      "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
      "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
      "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
      "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

  public static final CapabilitySets NONE = new CapabilitySets(0, 0, 0, 0, 0);

  /** The mask of the named capabilities; IllegalArgumentException names an unknown one. */
  public static long mask(List<String> names) {
    long mask = 0;
    for (String name : names) {
      int bit = NAMES.indexOf(name.startsWith("CAP_") ? name : "CAP_" + name);
      if (bit < 0) {
        throw new IllegalArgumentException("capability: unknown " + name);
      }
      mask |= 1L << bit;
    }
    return mask;
  }

  /** The same sets limited to {@code available} (a host without some capability in its bounding set). */
  public CapabilitySets within(long available) {
    return new CapabilitySets(bounding & available, effective & available, permitted & available,
        inheritable & available, ambient & available);
  }
}
