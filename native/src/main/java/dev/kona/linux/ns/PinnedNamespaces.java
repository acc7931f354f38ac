package dev.kona.linux.ns;

import dev.kona.oci.spec.LinuxNamespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's pinned namespaces: for each type, the file its namespace is bind-mounted on. These
 * files are what containers of the pod join ({@code setns}) and what CNI gets as the netns path.
 */
public record PinnedNamespaces(Map<NamespaceType, Path> paths) {

  public PinnedNamespaces {
    paths = Collections.unmodifiableMap(new EnumMap<>(paths.isEmpty()
        ? new EnumMap<>(NamespaceType.class) : paths));
  }

  /** The pin of {@code type}, or null when the pod does not pin one of that type. */
  public Path path(NamespaceType type) {
    return paths.get(type);
  }

  /** OCI spec entries that join each pinned namespace. */
  public List<LinuxNamespace> joinEntries() {
    List<LinuxNamespace> entries = new ArrayList<>();
    paths.forEach((type, path) -> entries.add(LinuxNamespace.join(type.ociName(), path.toString())));
    return entries;
  }
}
