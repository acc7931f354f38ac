package dev.kona.runtime.observe;

import java.util.ArrayList;
import java.util.List;

/** One network interface's counters, as {@code /proc/net/dev} shows them for a namespace. */
record InterfaceCounters(
    String name, long rxBytes, long rxPackets, long rxErrors, long rxDropped,
    long txBytes, long txPackets, long txErrors, long txDropped) {

  InterfaceCounters {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("interface counters: name is required");
    }
  }

  /**
   * Parses {@code /proc/net/dev}: two header lines, then {@code name: } and 16 numbers, the receive
   * columns (bytes packets errs drop fifo frame compressed multicast) before the transmit ones.
   */
  static List<InterfaceCounters> parseProcNetDev(String text) {
    List<InterfaceCounters> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (name.isEmpty() || f.length < 16) {
        continue;
      }
      out.add(new InterfaceCounters(name,
          Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
          Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11])));
    }
    return out;
  }
}
