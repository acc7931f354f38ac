package dev.kona.runtime.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A host process identified by pid and start time, so a reused pid is not mistaken for it. The
 * watcher keeps one per running container: while it lives, the container is still running and the
 * engine need not be asked (for runc and crun, asking means running {@code runc state}).
 */
record LiveProcess(int pid, long startTicks) {

  /** The process now running as {@code pid}, or null if there is none. */
  static LiveProcess of(int pid) {
    long start = startTicks(pid);
    return pid > 0 && start >= 0 ? new LiveProcess(pid, start) : null;
  }

  boolean alive() {
    return startTicks(pid) == startTicks;
  }

  /** Field 22 of {@code /proc/<pid>/stat}, after the command name (which may hold spaces and parens); -1 if gone. */
  static long startTicks(int pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
    } catch (IOException gone) {
      return -1;
    }
    return parseStartTicks(stat);
  }

  /** The start time, or -1 for a zombie (it has exited; only its parent has yet to reap it). */
  static long parseStartTicks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // f[0] is field 3 (state), so field 22 is f[19]
    if (f.length <= 19 || f[0].equals("Z")) {
      return -1;
    }
    return Long.parseLong(f[19]);
  }
}
