package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.LinuxContainerUser;
import dev.kona.oci.spec.SpecJson;
import dev.kona.oci.spec.User;
import dev.kona.runtime.container.ContainerRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The identity a container's process has (ContainerStatus.user): read from {@code /proc/<pid>/status}
 * of its init while it runs, so it is what the kernel holds, not what was asked; for a container
 * that does not run, what its OCI spec gave it.
 */
final class ProcessIdentity {

  private ProcessIdentity() {}

  /** Null when neither the process nor the spec can be read (a container being removed). */
  static LinuxContainerUser of(ContainerRecord record, int pid) {
    if (pid > 0) {
      LinuxContainerUser live = fromProc(Path.of("/proc", Integer.toString(pid), "status"));
      if (live != null) {
        return live;
      }
    }
    try {
      User u = SpecJson.read(Path.of(record.bundle())).process().user();
      return LinuxContainerUser.newBuilder().setUid(u.uid()).setGid(u.gid())
          .addAllSupplementalGroups(u.additionalGids()).build();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The real uid and gid and the supplementary groups of a {@code /proc/<pid>/status} file. */
  static LinuxContainerUser fromProc(Path status) {
    List<String> lines;
    try {
      lines = Files.readAllLines(status);
    } catch (IOException e) {
      return null; // it exited meanwhile
    }
    LinuxContainerUser.Builder b = LinuxContainerUser.newBuilder();
    boolean uid = false;
    boolean gid = false;
    for (String line : lines) {
      String[] f = line.split("\\s+");
      switch (f[0]) {
        case "Uid:" -> {
          b.setUid(Long.parseLong(f[1]));
          uid = true;
        }
        case "Gid:" -> {
          b.setGid(Long.parseLong(f[1]));
          gid = true;
        }
        case "Groups:" -> {
          List<Long> groups = new ArrayList<>();
          for (int i = 1; i < f.length; i++) {
            groups.add(Long.parseLong(f[i]));
          }
          b.addAllSupplementalGroups(groups);
        }
        default -> { }
      }
    }
    return uid && gid ? b.build() : null;
  }
}
