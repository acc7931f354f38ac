package dev.kona.oci.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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

  /**
   * {@code pid} and every process below it that still runs, parents before children, from one
   * scan of /proc: what an exec started, when the runtime that started it is not its parent.
   */
  static List<Long> tree(long pid) {
    Map<Long, List<Long>> children = new HashMap<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        long parent = parentOf(p);
        if (parent > 0) {
          children.computeIfAbsent(parent, k -> new ArrayList<>()).add(Long.parseLong(p.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      return running(pid) ? List.of(pid) : List.of();
    }
    List<Long> tree = new ArrayList<>();
    if (running(pid)) {
      tree.add(pid);
    }
    List<Long> queue = new ArrayList<>(List.of(pid));
    while (!queue.isEmpty()) {
      for (long child : children.getOrDefault(queue.removeFirst(), List.of())) {
        if (running(child)) {
          tree.add(child);
        }
        queue.add(child);
      }
    }
    return tree;
  }

  /** The ppid field of /proc/<pid>/stat (after the command name, which may hold spaces); -1 if gone. */
  private static long parentOf(Path proc) {
    try {
      String stat = Files.readString(proc.resolve("stat"));
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 3);
      return Long.parseLong(rest[1]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
