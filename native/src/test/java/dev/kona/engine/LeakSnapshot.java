package dev.kona.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a test may leave behind, to compare before and after: the host's mounts under the test's
 * directories, and the processes that belong to a run root or a rootfs (their command line names
 * the root, or their root directory is the rootfs). Other tests on the machine may mount and
 * unmount elsewhere meanwhile, so only the test's own paths count.
 */
record LeakSnapshot(List<String> mounts, List<String> processes) {

  static LeakSnapshot take(Path runRoot, Path rootfs) throws IOException {
    List<String> mounts = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f[4].startsWith(runRoot.getParent().toString()) || f[4].startsWith(rootfs.toString())) {
        mounts.add(String.join(" ", f[3], f[4], f[5]));
      }
    }
    mounts.sort(null);
    return new LeakSnapshot(mounts, processes(runRoot, rootfs));
  }

  static List<String> processes(Path runRoot, Path rootfs) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        try {
          String cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
          String root = Files.readSymbolicLink(p.resolve("root")).toString();
          if (cmdline.contains(runRoot.toString()) || root.startsWith(rootfs.toString())) {
            found.add(p.getFileName() + " " + cmdline.strip() + " root=" + root);
          }
        } catch (IOException e) {
          // the process exited while we looked
        }
      }
    }
    return found;
  }
}
