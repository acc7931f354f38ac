package dev.kona.oci.runc;

import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.InternalException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs one short runtime command (state, start, kill, delete) and collects its result. */
final class RuntimeCommand {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  record Result(int exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }

    /** The runtime's own words, for error messages. */
    String reason() {
      String text = stderr.isBlank() ? stdout : stderr;
      return text.strip().replaceAll("\\s+", " ");
    }
  }

  private RuntimeCommand() {}

  static Result run(List<String> command, Path workDir) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new InternalException("run " + command.getFirst() + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    try {
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new DeadlineExceededException(String.join(" ", command) + ": no answer after " + TIMEOUT);
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InternalException(String.join(" ", command) + ": interrupted", e);
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }, Thread::startVirtualThread);
  }
}
