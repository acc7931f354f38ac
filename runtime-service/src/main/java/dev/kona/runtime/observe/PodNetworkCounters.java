package dev.kona.runtime.observe;

import dev.kona.common.error.InternalException;
import dev.kona.linux.ns.NamespaceType;
import dev.kona.linux.ns.Namespaces;
import dev.kona.linux.syscall.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a pod's interface counters inside its network namespace. sysfs would show the netns it
 * was mounted in, not the reader's, so this reads {@code /proc/thread-self/net/dev}, which follows
 * the reading thread's namespace, from a thread that joined the pod's.
 */
final class PodNetworkCounters {

  private static final Path NET_DEV = Path.of("/proc/thread-self/net/dev");

  private final Syscalls sys;

  PodNetworkCounters(Syscalls sys) {
    this.sys = sys;
  }

  /** Every interface of the namespace pinned at {@code netns}, loopback included. */
  List<InterfaceCounters> read(Path netns) {
    String text = Namespaces.callIn(sys, netns, NamespaceType.NET, () -> {
      try {
        return Files.readString(NET_DEV);
      } catch (IOException e) {
        throw new InternalException("read " + NET_DEV + " in " + netns + ": " + e.getMessage(), e);
      }
    });
    return InterfaceCounters.parseProcNetDev(text);
  }

  /** The interface the kubelet reports for the pod: eth0 as CNI names it, else the first non-loopback. */
  static InterfaceCounters defaultInterface(List<InterfaceCounters> all) {
    InterfaceCounters first = null;
    for (InterfaceCounters i : all) {
      if (i.name().equals("eth0")) {
        return i;
      }
      if (first == null && !i.name().equals("lo")) {
        first = i;
      }
    }
    return first;
  }
}
