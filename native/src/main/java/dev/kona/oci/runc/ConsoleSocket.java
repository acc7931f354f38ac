package dev.kona.oci.runc;

import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.engine.ContainerId;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The OCI {@code --console-socket} handshake for an exec with a terminal: listen on a unix
 * socket, start {@code runtime exec}, and receive the terminal's master end that the runtime
 * sends over the socket (SCM_RIGHTS) before it runs the process.
 */
final class ConsoleSocket {
  private static final Duration HANDSHAKE = Duration.ofSeconds(20);
  private static final int SUN_PATH_MAX = 107;

  @FunctionalInterface
  interface Started<T> {
    T with(java.lang.Process runtime, OwnedFd master) throws IOException;
  }

  private ConsoleSocket() {}

  /** {@code command} is the runtime's command line for the console socket it is given. */
  static <T> T exec(OciRuntime runtime, ContainerId id, Function<Path, List<String>> command, Path dir, Syscalls sys,
      Started<T> started) throws IOException {
    Path socket = dir.resolve("tty-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
    if (socket.toString().length() > SUN_PATH_MAX) {
      socket = Files.createTempDirectory("kona-tty").resolve("s");
    }
    try (OwnedFd listener = sys.listenUnix(socket.toString(), Syscalls.SOCK_STREAM)) {
      ProcessBuilder pb = new ProcessBuilder(command.apply(socket))
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      java.lang.Process child = pb.start();
      long deadline = System.nanoTime() + HANDSHAKE.toNanos();
      while (!sys.pollReadable(listener, 100)) {
        if (!child.isAlive()) {
          String error = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
          throw new FailedPreconditionException("exec in container " + id + ": " + runtime.name()
              + " exited " + child.exitValue() + ": " + error);
        }
        if (System.nanoTime() > deadline) {
          child.destroyForcibly();
          throw new DeadlineExceededException("exec in container " + id + ": no terminal from "
              + runtime.name() + " after " + HANDSHAKE);
        }
      }
      try (OwnedFd connection = sys.accept(listener)) {
        return started.with(child, sys.receiveFd(connection));
      }
    } catch (RuntimeException e) {
      throw e instanceof dev.kona.common.error.KonaException k ? k
          : new InternalException("exec in container " + id + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(socket);
    }
  }
}
