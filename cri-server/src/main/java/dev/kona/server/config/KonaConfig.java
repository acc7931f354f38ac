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
    java.util.List<String> cdiSpecDirs) {

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
