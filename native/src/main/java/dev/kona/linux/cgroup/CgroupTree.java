package dev.kona.linux.cgroup;

import dev.kona.linux.syscall.Errno;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.Signal;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.common.time.Waits;
import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.FailedPreconditionException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Walking and removing a cgroup directory tree; shared by the v1 and v2 managers. */
final class CgroupTree {
  private CgroupTree() {}

  /** {@code dir} and every cgroup below it, deepest first. */
  static List<Path> deepestFirst(CgroupFs fs, Path dir) {
    List<Path> out = new ArrayList<>();
    collect(fs, dir, out);
    return out;
  }

  private static void collect(CgroupFs fs, Path dir, List<Path> out) {
    for (Path child : fs.children(dir)) {
      collect(fs, child, out);
    }
    out.add(dir);
  }

  /** rmdir deepest first, retrying while the kernel reports EBUSY (tasks still exiting). */
  static void remove(CgroupFs fs, Path dir, Duration timeout) {
    if (!fs.exists(dir)) {
      return;
    }
    for (Path d : deepestFirst(fs, dir)) {
      FailedPreconditionException[] last = {null};
      boolean gone = Waits.until(timeout, () -> {
        try {
          fs.rmdir(d);
          return true;
        } catch (FailedPreconditionException e) {
          last[0] = e;
          return false;
        }
      });
      if (!gone) {
        throw new DeadlineExceededException("remove cgroup " + d + ": still busy after " + timeout, last[0]);
      }
    }
  }

  /** SIGKILL to one task of a cgroup being emptied; a task that is already gone is fine. */
  static void kill(Syscalls sys, long pid) {
    try {
      sys.kill((int) pid, Signal.SIGKILL.number());
    } catch (NativeCallException e) {
      if (!e.is(Errno.ESRCH)) {
        throw e.toKonaException().withContext("kill all in cgroup");
      }
    }
  }

  static List<Long> readPids(CgroupFs fs, Path procsFile) {
    if (!fs.exists(procsFile)) {
      return List.of();
    }
    List<Long> pids = new ArrayList<>();
    for (String line : fs.read(procsFile).split("\n")) {
      if (!line.isBlank()) {
        pids.add(Long.parseLong(line.trim()));
      }
    }
    return pids;
  }
}
