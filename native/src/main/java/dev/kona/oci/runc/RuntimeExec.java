package dev.kona.oci.runc;

import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.fs.AtomicFile;
import dev.kona.engine.ContainerId;
import dev.kona.engine.ExecProcess;
import dev.kona.engine.ExecRequest;
import dev.kona.engine.ExitStatus;
import dev.kona.engine.StdioSession;
import dev.kona.engine.plan.ExecPlanner;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.oci.spec.Process;
import dev.kona.oci.spec.SpecJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * An exec through {@code runtime exec --process <json> <id>}, run in the foreground as a child of
 * the daemon: the runtime joins the container's namespaces and cgroup, applies the container's
 * security settings (copied from its config.json process), proxies signals to the process and
 * exits with its status. stdio are the child's pipes.
 */
final class RuntimeExec implements ExecProcess {
  private final java.lang.Process child;
  private final Path processJson;
  private final Syscalls sys;
  private final StdioSession stdio;

  private RuntimeExec(java.lang.Process child, Path processJson, Syscalls sys, StdioSession stdio) {
    this.child = child;
    this.processJson = processJson;
    this.sys = sys;
    this.stdio = stdio;
  }

  static RuntimeExec start(OciRuntime runtime, ContainerId id, Process containerProcess,
      ExecRequest request, Path dir, Syscalls sys) {
    List<String> env = ExecPlanner.execEnv(containerProcess.env(), request.env(), request.tty());
    Process exec = new Process(request.tty(), null, containerProcess.user(), request.args(), env,
        containerProcess.cwd(), containerProcess.capabilities(), containerProcess.rlimits(),
        containerProcess.noNewPrivileges(), containerProcess.apparmorProfile(),
        containerProcess.oomScoreAdj(), containerProcess.selinuxLabel());
    Path json = dir.resolve("exec-" + UUID.randomUUID() + ".json");
    // runc takes a console socket only when it detaches (losing the exit code) and otherwise
    // needs a controlling terminal of its own; crun hands the pty master over either way.
    if (request.tty() && runtime.name().equals("runc")) {
      throw new FailedPreconditionException("exec in container " + id
          + ": a terminal is not supported with runc; use crun or the kona engine");
    }
    try {
      AtomicFile.write(json, SpecJson.mapper().writeValueAsBytes(exec), AtomicFile.PRIVATE); // holds the environment
      if (request.tty()) {
        return ConsoleSocket.exec(runtime, id, json, dir, sys, (child, master) ->
            new RuntimeExec(child, json, sys, new PtySession(sys, master)));
      }
      ProcessBuilder pb = new ProcessBuilder(runtime.command("exec", "--process", json.toString(), id.value()));
      if (!request.stdin()) {
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      }
      java.lang.Process child = pb.start();
      return new RuntimeExec(child, json, sys, new PipeSession(child));
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(json);
      } catch (IOException ignored) {
        // best effort
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new InternalException("exec in container " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public StdioSession stdio() {
    return stdio;
  }

  @Override
  public ExitStatus waitFor(Duration timeout) {
    try {
      if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new DeadlineExceededException("exec pid " + child.pid() + ": still running after " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("exec pid " + child.pid() + ": interrupted", e);
    }
    try {
      Files.deleteIfExists(processJson);
    } catch (IOException ignored) {
      // best effort: it lives in the container's dir, removed with it
    }
    int code = child.exitValue();
    Instant now = Instant.now();
    return code > 128 && code <= 128 + 64
        ? new ExitStatus(0, code - 128, false, now)
        : new ExitStatus(code, 0, false, now);
  }

  @Override
  public void kill(int signal) {
    // The runtime forwards the signal to the exec'd process.
    try {
      sys.kill((int) child.pid(), signal);
    } catch (NativeCallException e) {
      if (child.isAlive()) {
        throw e.toKonaException().withContext("kill exec pid " + child.pid());
      }
    }
  }

  @Override
  public void close() {
    stdio.close();
  }

  /** stdio straight from the runtime child's pipes. */
  private record PipeSession(java.lang.Process child) implements StdioSession {
    @Override
    public OutputStream stdin() {
      return child.getOutputStream();
    }

    @Override
    public InputStream stdout() {
      return child.getInputStream();
    }

    @Override
    public InputStream stderr() {
      return child.getErrorStream();
    }

    @Override
    public void closeStdin() {
      try {
        child.getOutputStream().close();
      } catch (IOException ignored) {
        // already closed
      }
    }

    @Override
    public void resize(int columns, int rows) {
      // no terminal
    }

    @Override
    public void close() {
      closeStdin();
    }
  }
}
