package dev.kona.server.check;

import dev.kona.linux.syscall.MountAttrCalls;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The kernel and the features of it Kona's engine uses. */
final class KernelChecks {

  /** pidfds for every child Kona watches: pidfd_open (5.3) and waitid(P_PIDFD) (5.4). */
  static final int[] MINIMUM = {5, 4};
  /** mount_setattr (recursive read-only and idmapped mounts). */
  static final int[] MOUNT_SETATTR = {5, 12};

  private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

  private final Path proc;
  private final Syscalls sys;

  KernelChecks(Path proc, Syscalls sys) {
    this.proc = proc;
    this.sys = sys;
  }

  String release() throws IOException {
    return Files.readString(proc.resolve("sys/kernel/osrelease")).trim();
  }

  /** Major and minor of a release string such as {@code 6.1.0-18-amd64}; null when unreadable. */
  static int[] version(String release) {
    Matcher m = VERSION.matcher(release);
    return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
  }

  static boolean atLeast(int[] have, int[] want) {
    return have != null && (have[0] > want[0] || (have[0] == want[0] && have[1] >= want[1]));
  }

  CheckResult kernel() throws IOException {
    String release = release();
    int[] v = version(release);
    if (v == null) {
      return CheckResult.warn("kernel", "cannot read a version from \"" + release + "\"");
    }
    if (!atLeast(v, MINIMUM)) {
      return CheckResult.fail("kernel", "Linux " + release + " is older than 5.4; Kona watches its processes "
          + "through pidfds (pidfd_open, waitid P_PIDFD)");
    }
    if (!atLeast(v, MOUNT_SETATTR)) {
      return CheckResult.warn("kernel", "Linux " + release + ": runs, but without mount_setattr (5.12) there are "
          + "no recursive read-only or idmapped mounts");
    }
    return CheckResult.ok("kernel", "Linux " + release);
  }

  CheckResult overlayfs() throws IOException {
    String filesystems = Files.readString(proc.resolve("filesystems"));
    if (filesystems.lines().anyMatch(l -> l.endsWith("\toverlay"))) {
      return CheckResult.ok("overlayfs", "overlay is in /proc/filesystems");
    }
    Path module = Path.of("/lib/modules", release(), "kernel/fs/overlayfs");
    if (Files.isDirectory(module)) {
      return CheckResult.warn("overlayfs", "overlay is not loaded; the kernel loads " + module
          + " at the first mount (or run `modprobe overlay`)");
    }
    return CheckResult.fail("overlayfs", "the kernel has no overlay filesystem (not in /proc/filesystems, no module "
        + "under " + module.getParent() + "); container root filesystems are overlay mounts");
  }

  CheckResult recursiveReadOnly() {
    if (MountAttrCalls.available()) {
      return CheckResult.ok("recursive_read_only", "mount_setattr works: recursive read-only mounts are offered");
    }
    return CheckResult.warn("recursive_read_only", "mount_setattr is not available (Linux < 5.12, or a seccomp "
        + "filter around Kona): mounts asking recursive_read_only are refused");
  }

  /**
   * Idmapped mounts need mount_setattr's MOUNT_ATTR_IDMAP (5.12); Kona does not make pods with
   * user namespaces yet, so a kernel without them is a warning only.
   */
  CheckResult idmappedMounts() throws IOException {
    String release = release();
    if (MountAttrCalls.available() && atLeast(version(release), MOUNT_SETATTR)) {
      return CheckResult.ok("idmapped_mounts", "mount_setattr with MOUNT_ATTR_IDMAP (Linux 5.12+); "
          + "Kona does not make user-namespaced pods yet");
    }
    return CheckResult.warn("idmapped_mounts", "no mount_setattr on Linux " + release
        + ": idmapped mounts (user-namespaced pods) will not be possible on this node");
  }

  CheckResult seccomp() throws IOException {
    String mode = null;
    for (String line : Files.readAllLines(proc.resolve("self/status"))) {
      if (line.startsWith("Seccomp:")) {
        mode = line.substring("Seccomp:".length()).trim();
      }
    }
    if (mode == null) {
      return CheckResult.fail("seccomp", "the kernel has no seccomp (no Seccomp: line in /proc/self/status); "
          + "RuntimeDefault and Localhost profiles cannot be applied");
    }
    if (mode.equals("2")) {
      return CheckResult.warn("seccomp", "seccomp filters work, but Kona itself runs under a filter, which "
          + "every container inherits; run it unconfined (systemd: no SystemCallFilter=)");
    }
    return CheckResult.ok("seccomp", "seccomp filters available");
  }

  CheckResult pidfd() {
    try (OwnedFd fd = sys.pidfdOpen((int) ProcessHandle.current().pid())) {
      return CheckResult.ok("pidfd", "pidfd_open works");
    } catch (RuntimeException e) {
      return CheckResult.fail("pidfd", "pidfd_open failed (" + e.getMessage() + "); Kona watches containers "
          + "through pidfds");
    }
  }
}
