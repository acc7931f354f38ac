package dev.kona.cni.exec;

import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.InternalException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a plugin as a child process. Pipes are pumped on virtual threads so that a plugin which never
 * reads stdin or floods stdout cannot block the caller; on timeout the plugin's descendants and then
 * the plugin itself are killed by PID.
 */
public final class ForkedPluginProcess implements PluginProcess {

  static final int MAX_STDOUT = 1 << 20;
  static final int MAX_STDERR = 16 << 10;
  /** How long to wait for pipes to drain once the process has exited or been killed. */
  private static final Duration DRAIN = Duration.ofSeconds(2);

  private final String owner;

  /** Plugins that carry no owner: {@link OrphanedPlugins} never finds them. */
  public ForkedPluginProcess() {
    this(null);
  }

  /** Plugins marked as {@code owner}'s, so that a later daemon can find those this one left. */
  public ForkedPluginProcess(String owner) {
    this.owner = owner;
  }

  @Override
  public ProcessOutput run(Path binary, Map<String, String> env, byte[] stdin, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(binary.toString());
    builder.environment().keySet().removeIf(key -> key.startsWith("CNI_") || key.equals(OrphanedPlugins.OWNER_ENV));
    builder.environment().putAll(env);
    if (owner != null) {
      builder.environment().put(OrphanedPlugins.OWNER_ENV, owner);
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new InternalException("start " + binary + ": " + e.getMessage(), e);
    }
    pump(() -> writeAll(process.getOutputStream(), stdin));
    CompletableFuture<byte[]> stdout = read(process.getInputStream(), MAX_STDOUT);
    CompletableFuture<byte[]> stderr = read(process.getErrorStream(), MAX_STDERR);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        throw new DeadlineExceededException(
            "run " + binary + ": no answer within " + timeout.toSeconds() + "s, killed pid " + process.pid());
      }
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new InternalException("run " + binary + ": interrupted, killed pid " + process.pid(), e);
    }
    byte[] err = drained(stderr);
    return new ProcessOutput(
        process.exitValue(), drained(stdout), new String(err, StandardCharsets.UTF_8).strip());
  }

  /** Kills what the plugin started first (they would hold our pipes open), then the plugin. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] drained(CompletableFuture<byte[]> pipe) {
    try {
      return pipe.get(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // A grandchild the plugin left behind still holds the pipe; use what we have.
      return new byte[0];
    } catch (ExecutionException e) {
      return new byte[0];
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new byte[0];
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static CompletableFuture<Void> pump(IoAction action) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("cni-stdin")
        .start(
            () -> {
              try {
                action.run();
                done.complete(null);
              } catch (IOException e) {
                // The plugin closed stdin early (it may not need it); its exit status tells the rest.
                done.complete(null);
              }
            });
    return done;
  }

  private static void writeAll(OutputStream out, byte[] bytes) throws IOException {
    try (out) {
      out.write(bytes);
    }
  }

  private static CompletableFuture<byte[]> read(InputStream in, int cap) {
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("cni-pipe")
        .start(
            () -> {
              ByteArrayOutputStream kept = new ByteArrayOutputStream();
              byte[] buffer = new byte[8192];
              try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  // Keep the head, drop the rest, but go on reading so the plugin never blocks.
                  int room = cap - kept.size();
                  if (room > 0) {
                    kept.write(buffer, 0, Math.min(n, room));
                  }
                }
              } catch (IOException e) {
                // Pipe closed under us: keep what was read.
              }
              done.complete(kept.toByteArray());
            });
    return done;
  }
}
