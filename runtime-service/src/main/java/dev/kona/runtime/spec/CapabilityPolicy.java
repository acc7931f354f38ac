package dev.kona.runtime.spec;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.engine.plan.CapabilitySets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The capability set of a container: the default set containerd and Docker give, plus adds, minus
 * drops; "ALL" in add means every capability, "ALL" in drop clears the default set before the adds.
 */
public final class CapabilityPolicy {

  /** containerd's and Docker's default set for unprivileged containers. */
  public static final List<String> DEFAULTS = List.of(
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
      "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
      "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

  /** Every capability the kernel knows, by number (0..40 as of Linux 5.9). */
  public static final List<String> ALL_KNOWN = CapabilitySets.NAMES;

  private final List<String> hostCapabilities;

  /** @param hostCapabilities what this host's kernel supports (and the daemon holds) */
  public CapabilityPolicy(List<String> hostCapabilities) {
    this.hostCapabilities = List.copyOf(hostCapabilities);
  }

  public List<String> hostCapabilities() {
    return hostCapabilities;
  }

  public List<String> effective(boolean privileged, List<String> add, List<String> drop) {
    if (privileged) {
      return hostCapabilities;
    }
    List<String> adds = normalise(add, "add_capabilities");
    List<String> drops = normalise(drop, "drop_capabilities");
    Set<String> caps = new LinkedHashSet<>();
    if (adds.contains("ALL")) {
      caps.addAll(hostCapabilities);
    } else if (!drops.contains("ALL")) {
      caps.addAll(DEFAULTS);
    }
    for (String a : adds) {
      if (!a.equals("ALL")) {
        caps.add(a);
      }
    }
    if (!adds.contains("ALL")) {
      for (String d : drops) {
        caps.remove(d);
      }
    }
    caps.retainAll(hostCapabilities);
    return new ArrayList<>(caps);
  }

  /** "net_admin", "NET_ADMIN" and "CAP_NET_ADMIN" all mean CAP_NET_ADMIN; unknown names are refused. */
  static List<String> normalise(List<String> names, String field) {
    List<String> out = new ArrayList<>();
    for (String raw : names) {
      String n = raw.trim().toUpperCase(Locale.ROOT);
      if (n.equals("ALL")) {
        out.add("ALL");
        continue;
      }
      if (!n.startsWith("CAP_")) {
        n = "CAP_" + n;
      }
      if (!ALL_KNOWN.contains(n)) {
        throw new InvalidArgumentException("config.linux.security_context.capabilities." + field
            + ": unknown capability \"" + raw + "\"");
      }
      out.add(n);
    }
    return out;
  }

  /** The capabilities whose bits are set in {@code mask} (CapBnd of /proc/self/status). */
  public static List<String> fromMask(long mask) {
    List<String> out = new ArrayList<>();
    for (int bit = 0; bit < ALL_KNOWN.size(); bit++) {
      if ((mask & (1L << bit)) != 0) {
        out.add(ALL_KNOWN.get(bit));
      }
    }
    return out;
  }

  /** The capabilities up to the kernel's cap_last_cap. */
  public static List<String> forLastCap(int lastCap) {
    return ALL_KNOWN.subList(0, Math.min(ALL_KNOWN.size(), lastCap + 1));
  }
}
