package dev.kona.engine.plan;

import java.nio.file.Path;
import java.util.Set;

/** A namespace the process gets: a new one ({@code path} null) or the one pinned at {@code path}. */
public record NamespaceEntry(String type, Path path) {
  /** The helper's names, as in /proc/self/ns. */
  public static final Set<String> TYPES = Set.of("mnt", "pid", "net", "ipc", "uts", "cgroup", "user");

  public NamespaceEntry {
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("namespace type: expected one of " + TYPES + ", got " + type);
    }
    if (type.equals("user") && path == null) {
      throw new IllegalArgumentException("namespace type user: the helper only joins a pod's user namespace");
    }
  }

  public static NamespaceEntry create(String type) {
    return new NamespaceEntry(type, null);
  }

  public static NamespaceEntry join(String type, Path path) {
    return new NamespaceEntry(type, path);
  }
}
