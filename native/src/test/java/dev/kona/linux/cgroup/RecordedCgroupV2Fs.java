package dev.kona.linux.cgroup;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cgroup v2 tree recorded into a temp dir: the interface files a 6.x kernel creates in a new
 * cgroup (core files always, a controller's files when the parent enables it in
 * cgroup.subtree_control), with their initial contents, and the kernel's checks on the writes
 * Kona makes. Lets v2 logic be tested on this v1 machine.
 */
final class RecordedCgroupV2Fs extends KernelCgroupFs {
  static final String ROOT_CONTROLLERS = "cpuset cpu io memory hugetlb pids rdma misc";

  private static final Map<String, Map<String, String>> CONTROLLER_FILES = new LinkedHashMap<>();

  static {
    CONTROLLER_FILES.put("cpu", Map.of("cpu.weight", "100\n", "cpu.weight.nice", "0\n",
        "cpu.max", "max 100000\n", "cpu.max.burst", "0\n", "cpu.idle", "0\n"));
    CONTROLLER_FILES.put("cpuset", Map.of("cpuset.cpus", "\n", "cpuset.mems", "\n",
        "cpuset.cpus.effective", "0-1\n", "cpuset.mems.effective", "0\n"));
    CONTROLLER_FILES.put("memory", Map.of("memory.current", "0\n", "memory.max", "max\n",
        "memory.high", "max\n", "memory.low", "0\n", "memory.min", "0\n",
        "memory.swap.max", "max\n", "memory.swap.current", "0\n", "memory.oom.group", "0\n",
        "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n",
        "memory.stat", "anon 0\nfile 0\ninactive_file 0\npgfault 0\npgmajfault 0\n"));
    CONTROLLER_FILES.put("pids", Map.of("pids.max", "max\n", "pids.current", "0\n",
        "pids.events", "max 0\n"));
    CONTROLLER_FILES.put("io", Map.of("io.weight", "default 100\n", "io.max", "", "io.stat", ""));
    CONTROLLER_FILES.put("hugetlb", Map.of("hugetlb.2MB.max", "max\n", "hugetlb.1GB.max", "max\n",
        "hugetlb.2MB.current", "0\n", "hugetlb.1GB.current", "0\n"));
  }

  /** Lays out a root cgroup in {@code dir} and returns it. */
  static Path newRoot(Path dir) throws IOException {
    Files.writeString(dir.resolve("cgroup.controllers"), ROOT_CONTROLLERS + "\n");
    Files.writeString(dir.resolve("cgroup.subtree_control"), "\n");
    Files.writeString(dir.resolve("cgroup.procs"), "");
    Files.writeString(dir.resolve("cpu.stat"), "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
    return dir;
  }

  @Override
  public boolean mkdir(Path dir) {
    if (!super.mkdir(dir)) {
      return false;
    }
    try {
      String enabled = Files.readString(dir.getParent().resolve("cgroup.subtree_control")).trim();
      put(dir, "cgroup.controllers", enabled + "\n");
      put(dir, "cgroup.subtree_control", "\n");
      put(dir, "cgroup.procs", "");
      put(dir, "cgroup.events", "populated 0\nfrozen 0\n");
      put(dir, "cgroup.freeze", "0\n");
      put(dir, "cgroup.kill", "");
      put(dir, "cgroup.type", "domain\n");
      put(dir, "cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\nnr_periods 0\nnr_throttled 0\n");
      for (String c : words(enabled)) {
        for (Map.Entry<String, String> f : CONTROLLER_FILES.getOrDefault(c, Map.of()).entrySet()) {
          put(dir, f.getKey(), f.getValue());
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** rmdir as the kernel does it: interface files go with the cgroup; tasks or children make it EBUSY. */
  @Override
  public boolean rmdir(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    if (!children(dir).isEmpty() || !read(dir.resolve("cgroup.procs")).isBlank()) {
      throw new dev.kona.common.error.FailedPreconditionException(
          "remove cgroup " + dir + ": Device or resource busy");
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return super.rmdir(dir);
  }

  @Override
  public void write(Path file, String value) {
    String name = file.getFileName().toString();
    Path dir = file.getParent();
    switch (name) {
      case "cgroup.subtree_control" -> subtreeControl(dir, value);
      case "cgroup.freeze" -> {
        super.write(file, value);
        events(dir, "frozen", value.trim());
      }
      case "cgroup.procs" -> {
        append(file, value.trim());
        events(dir, "populated", "1");
      }
      case "cgroup.kill" -> {
        super.write(dir.resolve("cgroup.procs"), "");
        events(dir, "populated", "0");
      }
      case "memory.max", "memory.swap.max", "pids.max", "memory.high" -> {
        if (!value.equals("max") && !value.matches("\\d+")) {
          throw new InvalidArgumentException("write \"" + value + "\" to " + file + ": Invalid argument");
        }
        super.write(file, value);
      }
      case "cpu.weight" -> {
        long w = Long.parseLong(value);
        if (w < 1 || w > 10000) {
          throw new InvalidArgumentException("write \"" + value + "\" to " + file + ": Invalid argument");
        }
        super.write(file, value);
      }
      case "cpu.max" -> {
        if (!value.matches("(max|\\d+)( \\d+)?")) {
          throw new InvalidArgumentException("write \"" + value + "\" to " + file + ": Invalid argument");
        }
        // A quota alone keeps the period in force.
        super.write(file, value.contains(" ") ? value : value + " " + read(file).trim().split(" ")[1]);
      }
      default -> super.write(file, value);
    }
  }

  private void subtreeControl(Path dir, String value) {
    Set<String> available = Set.copyOf(words(read(dir.resolve("cgroup.controllers"))));
    Set<String> enabled = new LinkedHashSet<>(words(read(dir.resolve("cgroup.subtree_control"))));
    for (String token : words(value)) {
      String c = token.substring(1);
      if (!available.contains(c)) {
        throw new NotFoundException("write \"" + value + "\" to " + dir + "/cgroup.subtree_control: no such file");
      }
      if (token.startsWith("+")) {
        enabled.add(c);
      } else {
        enabled.remove(c);
      }
    }
    super.write(dir.resolve("cgroup.subtree_control"), String.join(" ", enabled) + "\n");
  }

  private void events(Path dir, String key, String value) {
    List<String> lines = new ArrayList<>();
    for (String line : read(dir.resolve("cgroup.events")).split("\n")) {
      lines.add(line.startsWith(key + " ") ? key + " " + value : line);
    }
    super.write(dir.resolve("cgroup.events"), String.join("\n", lines) + "\n");
  }

  private void append(Path file, String pid) {
    super.write(file, read(file) + pid + "\n");
  }

  private static void put(Path dir, String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content);
  }

  private static List<String> words(String text) {
    String t = text.trim();
    return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
  }
}
