package dev.kona.server.config;

import dev.kona.cni.config.CniConfig;
import dev.kona.image.ImageConfig;
import dev.kona.metrics.MetricsConfig;
import dev.kona.runtime.CgroupDriver;
import dev.kona.server.streaming.StreamingConfig;
import java.nio.file.Path;

/**
 * The whole daemon configuration, bound from kona.toml over the embedded defaults
 * ({@code kona-default.toml}) and then from command-line flags. Keys are snake_case.
 *
 * @param socket the CRI unix socket
 * @param stateRoot persistent state: images, records of pods and containers
 * @param runRoot volatile state: pinned namespaces, monitors' sockets, the instance lock
 * @param cgroupDriver how cgroup_parent is read; reported to the kubelet through RuntimeConfig
 * @param shutdownTimeoutSeconds how long in-flight calls may run on after SIGTERM
 * @param runtime the runtime handlers besides Kona's own engine
 * @param cdiSpecDirs where Container Device Interface specs are read, later directories winning
 * @param containersRoot where the containers' writable layers live, when not with the images under
 *     the state root (a split image filesystem, KEP-4191); empty for under the state root
 */
public record KonaConfig(
    String socket,
    String stateRoot,
    String runRoot,
    CgroupDriver cgroupDriver,
    int shutdownTimeoutSeconds,
    LogConfig log,
    MetricsConfig metrics,
    ImageConfig images,
    CniConfig cni,
    StreamingConfig streaming,
    RuntimeSection runtime,
    java.util.List<String> cdiSpecDirs,
    String containersRoot) {

  public KonaConfig {
    requireAbsolute(socket, "socket");
    requireAbsolute(stateRoot, "state_root");
    requireAbsolute(runRoot, "run_root");
    if (shutdownTimeoutSeconds < 0) {
      throw new IllegalArgumentException("shutdown_timeout_seconds: must be >= 0, got " + shutdownTimeoutSeconds);
    }
    runtime = runtime == null ? new RuntimeSection(null) : runtime;
    cdiSpecDirs = cdiSpecDirs == null ? java.util.List.of() : java.util.List.copyOf(cdiSpecDirs);
    for (String dir : cdiSpecDirs) {
      requireAbsolute(dir, "cdi_spec_dirs");
    }
    containersRoot = containersRoot == null ? "" : containersRoot;
    if (!containersRoot.isEmpty()) {
      requireAbsolute(containersRoot, "containers_root");
      Path split = Path.of(containersRoot).normalize();
      Path state = Path.of(stateRoot).normalize();
      Path run = Path.of(runRoot).normalize();
      // Kona's own trees would hold each other: the images' sweep or a container's removal would
      // delete the other's files.
      if (state.startsWith(split) || split.startsWith(state.resolve("images")) || split.equals(state)
          || run.startsWith(split) || split.startsWith(run)) {
        throw new IllegalArgumentException("containers_root: must be a directory of its own, outside "
            + state.resolve("images") + " and run_root and holding neither root, got \"" + containersRoot + "\"");
      }
    }
  }

  /** Where the containers' writable layers live when split from the images; empty when not split. */
  public java.util.Optional<Path> containersRootPath() {
    return containersRoot.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(containersRoot));
  }

  public Path socketPath() {
    return Path.of(socket);
  }

  public Path stateRootPath() {
    return Path.of(stateRoot);
  }

  public Path runRootPath() {
    return Path.of(runRoot);
  }

  private static void requireAbsolute(String path, String key) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException(key + ": must be an absolute path, got \"" + path + "\"");
    }
  }
}
