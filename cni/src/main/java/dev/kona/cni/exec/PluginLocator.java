package dev.kona.cni.exec;

import dev.kona.common.error.FailedPreconditionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Finds plugin binaries in the configured bin dirs, first match wins; the list is also CNI_PATH. */
public final class PluginLocator {

  private final List<Path> binDirs;

  public PluginLocator(List<Path> binDirs) {
    this.binDirs = List.copyOf(binDirs);
  }

  public Path find(String type) {
    for (Path dir : binDirs) {
      Path candidate = dir.resolve(type);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new FailedPreconditionException(
        "find CNI plugin \"" + type + "\": no executable of that name in " + cniPath());
  }

  /** The value of CNI_PATH. */
  public String cniPath() {
    return binDirs.stream().map(Path::toString).collect(Collectors.joining(":"));
  }
}
