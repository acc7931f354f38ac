package dev.kona.linux.testing;

import dev.kona.linux.mount.MountInfo;
import dev.kona.linux.mount.MountTable;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.syscall.MountFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves behind a mount under a {@link KernelTempDir}, a cgroup directory named
 * with {@link KernelTempDir#PREFIX}, or a live child process of the test JVM. It cleans up what it
 * finds (detach, rmdir, kill) before failing, so one leak does not cascade into other tests.
 */
public final class NoLeaks implements AfterEachCallback {
  private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    List<String> leaks = new ArrayList<>();
    for (MountInfo m : MountTable.under("/tmp").reversed()) {
      if (m.mountPoint().contains(KernelTempDir.PREFIX)) {
        leaks.add("mount " + m.mountPoint() + " (" + m.fsType() + ")");
        try {
          LinuxSyscalls.get().umount2(m.mountPoint(), MountFlags.MNT_DETACH);
        } catch (RuntimeException ignored) {
          // already gone with its parent
        }
      }
    }
    for (Path dir : cgroupLeaks()) {
      leaks.add("cgroup " + dir);
      removeTree(dir);
    }
    ProcessHandle.current().children().filter(ProcessHandle::isAlive).forEach(p -> {
      leaks.add("process " + p.pid() + " " + p.info().commandLine().orElse(""));
      p.destroyForcibly();
    });
    if (!leaks.isEmpty()) {
      throw new AssertionError(context.getDisplayName() + " left behind: " + leaks);
    }
  }

  private static List<Path> cgroupLeaks() {
    List<Path> found = new ArrayList<>();
    collect(CGROUP_ROOT, 0, found);
    return found;
  }

  // Other test JVMs create and remove cgroups meanwhile: a directory that vanishes is skipped.
  private static void collect(Path dir, int depth, List<Path> found) {
    if (depth > 3) {
      return;
    }
    List<Path> children;
    try (Stream<Path> entries = Files.list(dir)) {
      children = entries.filter(Files::isDirectory).toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      return;
    }
    for (Path child : children) {
      if (child.getFileName().toString().startsWith(KernelTempDir.PREFIX)) {
        found.add(child);
      } else {
        collect(child, depth + 1, found);
      }
    }
  }

  private static void removeTree(Path dir) throws IOException {
    try (Stream<Path> tree = Files.walk(dir)) {
      for (Path p : tree.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        try {
          Files.delete(p);
        } catch (IOException ignored) {
          // tasks still inside; reported as a leak anyway
        }
      }
    }
  }
}
