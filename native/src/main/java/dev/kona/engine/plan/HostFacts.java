package dev.kona.engine.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the planner needs to know about the host: the capabilities this process may hand on (its
 * bounding set; a host may lack CAP_SYS_RESOURCE) and the cgroup v1 hierarchies to mount in a
 * container (empty on a pure cgroup v2 host), and whether /proc/kcore exists (runc links /dev/core
 * to it only then).
 */
public record HostFacts(long boundingCapabilities, List<String> cgroupV1Hierarchies, boolean kcore) {

  public HostFacts {
    cgroupV1Hierarchies = List.copyOf(cgroupV1Hierarchies);
  }

  public static HostFacts read() {
    try {
      long bounding = -1;
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapBnd:")) {
          bounding = Long.parseUnsignedLong(line.substring(7).strip(), 16);
        }
      }
      return new HostFacts(bounding, parseCgroups(Files.readString(Path.of("/proc/self/cgroup"))),
          Files.exists(Path.of("/proc/kcore")));
    } catch (IOException e) {
      throw new UncheckedIOException("read host facts from /proc/self", e);
    }
  }

  /** The controller lists ("cpu,cpuacct", "name=systemd") of /proc/self/cgroup's v1 lines. */
  static List<String> parseCgroups(String procSelfCgroup) {
    List<String> hierarchies = new ArrayList<>();
    for (String line : procSelfCgroup.split("\n")) {
      String[] parts = line.split(":", 3);
      if (parts.length == 3 && !parts[0].equals("0") && !parts[1].isEmpty()) {
        hierarchies.add(parts[1]);
      }
    }
    return hierarchies;
  }
}
