package dev.kona.oci.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process liveness for monitors that are not our children. */
final class Pids {
  private Pids() {}

  /**
   * True while {@code pid} runs. A zombie counts as gone: conmon is re-parented to init, which
   * may take a while to reap it, and {@link ProcessHandle#isAlive} reports zombies as alive.
   */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      int close = stat.lastIndexOf(')');
      char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : 'X';
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }
}
