package dev.kona.cni.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host commands (ip, iptables-save) for test setup and leak checks. */
public final class Cmd {

  private Cmd() {}

  /** Output of a command that must succeed. */
  public static String run(String... command) {
    Result r = tryRun(command);
    if (r.exitCode() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + r.exitCode() + ": " + r.output());
    }
    return r.output();
  }

  public record Result(int exitCode, String output) {}

  /** Runs a command, stdout and stderr merged, with a 30s limit. */
  public static Result tryRun(String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " hung");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
