package dev.kona.engine;

import dev.kona.common.error.InvalidArgumentException;
import java.time.Instant;

/**
 * How a container's process ended: its exit code, or the signal that killed it, and whether the
 * kernel's OOM killer did it. {@link #code()} folds a signal into the shell convention 128+n.
 */
public record ExitStatus(int exitCode, int signal, boolean oomKilled, Instant finishedAt) {

  public ExitStatus {
    if (exitCode < 0 || exitCode > 255) {
      throw new InvalidArgumentException("exit status: exitCode expected 0..255, got " + exitCode);
    }
    if (signal < 0 || signal > 64) {
      throw new InvalidArgumentException("exit status: signal expected 0..64, got " + signal);
    }
    if (finishedAt == null) {
      throw new InvalidArgumentException("exit status: finishedAt is missing");
    }
  }

  /** The code a shell would report: the exit code, or 128 + the signal number. */
  public int code() {
    return signal != 0 ? 128 + signal : exitCode;
  }

  /** The CRI reason: OOMKilled, Completed or Error. */
  public String reason() {
    if (oomKilled) {
      return "OOMKilled";
    }
    return code() == 0 ? "Completed" : "Error";
  }
}
