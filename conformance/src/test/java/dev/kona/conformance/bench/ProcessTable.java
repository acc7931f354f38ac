package dev.kona.conformance.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A snapshot of /proc: enough to add up what a runtime costs the node in memory. A runtime's cost is
 * its daemon plus every helper it leaves beside the pods (Kona's monitors and pod inits,
 * containerd's shims and pause processes), without the workload the pods themselves run.
 */
final class ProcessTable {

  record Proc(long pid, long ppid, long rssBytes, String cmdline) {}

  private final Map<Long, Proc> byPid;

  private ProcessTable(Map<Long, Proc> byPid) {
    this.byPid = byPid;
  }

  static ProcessTable read() throws IOException {
    Map<Long, Proc> procs = new HashMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path dir : dirs) {
        try {
          procs.put(Long.parseLong(dir.getFileName().toString()), parse(dir));
        } catch (IOException | RuntimeException gone) {
          // the process ended while we read it
        }
      }
    }
    return new ProcessTable(procs);
  }

  private static Proc parse(Path dir) throws IOException {
    long ppid = -1;
    long rss = 0;
    for (String line : Files.readAllLines(dir.resolve("status"))) {
      if (line.startsWith("PPid:")) {
        ppid = Long.parseLong(line.substring(5).trim());
      } else if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
      }
    }
    String cmdline = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
    return new Proc(Long.parseLong(dir.getFileName().toString()), ppid, rss, cmdline);
  }

  long rss(long pid) {
    Proc p = byPid.get(pid);
    return p == null ? 0 : p.rssBytes();
  }

  /**
   * RSS of the processes matching {@code helper} and everything below them, except the subtrees of
   * processes matching {@code workload}.
   */
  long helperRss(Predicate<Proc> helper, Predicate<Proc> workload) {
    Map<Long, List<Proc>> children = new HashMap<>();
    for (Proc p : byPid.values()) {
      children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
    }
    Set<Long> seen = new HashSet<>();
    Deque<Proc> todo = new ArrayDeque<>(byPid.values().stream().filter(helper).toList());
    long total = 0;
    while (!todo.isEmpty()) {
      Proc p = todo.pop();
      if (!seen.add(p.pid()) || workload.test(p)) {
        continue;
      }
      total += p.rssBytes();
      todo.addAll(children.getOrDefault(p.pid(), List.of()));
    }
    return total;
  }

  long count(Predicate<Proc> matching) {
    return byPid.values().stream().filter(matching).count();
  }
}
