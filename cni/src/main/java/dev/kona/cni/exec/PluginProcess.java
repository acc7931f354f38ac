package dev.kona.cni.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The OS edge of plugin execution: run a binary with an environment and stdin, collect its output.
 * The real one forks a process; unit tests may use a recording fake.
 */
public interface PluginProcess {

  /**
   * Runs {@code binary} to completion.
   *
   * @param env variables set on top of the daemon's environment (any inherited CNI_* removed)
   * @param timeout after this the process and its children are killed and {@link
   *     dev.kona.common.error.DeadlineExceededException} is thrown
   * @throws dev.kona.common.error.KonaException if the process cannot be started or timed out
   */
  ProcessOutput run(Path binary, Map<String, String> env, byte[] stdin, Duration timeout);
}
