package dev.kona.engine;

import dev.kona.common.error.ErrorKind;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import dev.kona.common.fs.AtomicFile;
import dev.kona.linux.syscall.Errno;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Runs {@code kona-shim create <dir>} on a plan: the helper forks the detached monitor, which
 * clones the process and reports once it waits for start. The helper prints one line:
 * {@code created <monitor-pid> <pid>} or {@code error <errno> <step>: <what>: <strerror>}.
 */
final class ShimLauncher {
  static final String PLAN_FILE = "plan";

  private final Path shim;

  ShimLauncher(Path shim) {
    this.shim = shim;
  }

  record Created(int monitorPid, int pid) {}

  Created create(Path stateDir, byte[] plan) throws KonaException {
    String line;
    try {
      AtomicFile.write(stateDir.resolve(PLAN_FILE), plan, AtomicFile.PRIVATE); // holds the environment
      java.lang.Process p = new ProcessBuilder(shim.toString(), "create", stateDir.toString())
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor();
    } catch (IOException e) {
      throw new InternalException("run " + shim + " create " + stateDir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted while running " + shim, e);
    }
    String[] parts = line.split(" ", 3);
    if (parts.length == 3 && parts[0].equals("created")) {
      return new Created(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }
    if (parts.length == 3 && parts[0].equals("error")) {
      throw failure(Integer.parseInt(parts[1]), parts[2]);
    }
    throw new InternalException("kona-shim create " + stateDir + ": unexpected output \"" + line + "\"");
  }

  /**
   * Setup failures are the container's problem, not a missing object: ENOENT of a program or a
   * mount source is FailedPrecondition, a malformed plan InvalidArgument, no memory or fds
   * ResourceExhausted.
   */
  static KonaException failure(int errno, String message) {
    Errno e = Errno.of(errno);
    ErrorKind kind = e == null ? ErrorKind.FAILED_PRECONDITION : switch (e.kind()) {
      case INVALID_ARGUMENT, RESOURCE_EXHAUSTED -> e.kind();
      default -> ErrorKind.FAILED_PRECONDITION;
    };
    return KonaException.of(kind, message, null);
  }
}
