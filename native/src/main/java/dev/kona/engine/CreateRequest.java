package dev.kona.engine;

import dev.kona.common.error.InvalidArgumentException;
import java.nio.file.Path;

/**
 * What {@link ContainerEngine#create} needs: an OCI bundle (a directory with {@code config.json}
 * and the rootfs it names, already mounted by the caller), where the container's output goes, and
 * whether it keeps a stdin. A terminal is asked for by {@code process.terminal} in the bundle's
 * config. {@code logPath} may be null: output is then only seen by attach sessions.
 */
public record CreateRequest(
    ContainerId id, Path bundle, Path logPath, boolean stdin, boolean stdinOnce) {

  public CreateRequest {
    if (id == null) {
      throw new InvalidArgumentException("create container: id is missing");
    }
    if (bundle == null || !bundle.isAbsolute()) {
      throw new InvalidArgumentException("create container " + id + ": bundle must be an absolute path, got " + bundle);
    }
    if (logPath != null && !logPath.isAbsolute()) {
      throw new InvalidArgumentException("create container " + id + ": logPath must be absolute, got " + logPath);
    }
    if (stdinOnce && !stdin) {
      throw new InvalidArgumentException("create container " + id + ": stdinOnce needs stdin");
    }
  }
}
