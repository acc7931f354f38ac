package dev.kona.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's start time from /proc/&lt;pid&gt;/stat (field 22, after the parenthesised name). */
final class ProcStat {
  private ProcStat() {}

  /**
   * Start time in clock ticks, or -1 if the process does not exist or has exited (a zombie whose
   * parent has not reaped it yet counts as gone).
   */
  static long startTicks(int pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      if (fields[0].equals("Z") || fields[0].equals("X")) {
        return -1;
      }
      return Long.parseLong(fields[19]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
