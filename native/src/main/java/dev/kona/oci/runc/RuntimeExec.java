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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * An exec through {@code runtime exec --process <json> <id>}, run in the foreground as a child of
 * the daemon: the runtime joins the container's namespaces and cgroup, applies the container's
 * security settings (copied from its config.json process), proxies signals to the process and
 * exits with its status. stdio are the child's pipes.
 *
 * <p>With a terminal the pty's master comes over a console socket ({@link ConsoleSocket}). runc
 * sends it only when it detaches ({@code --detach}), so there the runtime runs under
 * {@code kona-shim reap}, a subreaper that waits for the exec'd process and exits with its status.
 *
 * <p>The runtime writes the exec'd process's host pid to a pid file: a kill goes to that process
 * (SIGKILL: to it and everything it started), since signalling the runtime client alone leaves
 * the command running in the container.
 */
final class RuntimeExec implements ExecProcess {
  private static final int SIGKILL = 9;
  private static final int SIGSTOP = 19;

  private final java.lang.Process child;
  private final Path processJson;
  private final Path pidFile;
  private final Syscalls sys;
  private final StdioSession stdio;

  private RuntimeExec(java.lang.Process child, Path processJson, Path pidFile, Syscalls sys, StdioSession stdio) {
    this.child = child;
    this.processJson = processJson;
    this.pidFile = pidFile;
    this.sys = sys;
    this.stdio = stdio;
  }

  static RuntimeExec start(OciRuntime runtime, ContainerId id, Process containerProcess,
      ExecRequest request, Path dir, Path shim, Syscalls sys) {
    List<String> env = ExecPlanner.execEnv(containerProcess.env(), request.env(), request.tty());
    Process exec = new Process(request.tty(), null, containerProcess.user(), request.args(), env,
        containerProcess.cwd(), containerProcess.capabilities(), containerProcess.rlimits(),
        containerProcess.noNewPrivileges(), containerProcess.apparmorProfile(),
        containerProcess.oomScoreAdj(), containerProcess.selinuxLabel());
    String name = "exec-" + UUID.randomUUID();
    Path json = dir.resolve(name + ".json");
    Path pidFile = dir.resolve(name + ".pid");
    try {
      AtomicFile.write(json, SpecJson.mapper().writeValueAsBytes(exec), AtomicFile.PRIVATE); // holds the environment
      if (request.tty()) {
        return ConsoleSocket.exec(runtime, id, socket -> terminalCommand(runtime, id, json, pidFile, socket, shim),
            dir, sys, (child, master) -> new RuntimeExec(child, json, pidFile, sys, new PtySession(sys, master)));
      }
      ProcessBuilder pb = new ProcessBuilder(runtime.command("exec", "--pid-file", pidFile.toString(),
          "--process", json.toString(), id.value()));
      if (!request.stdin()) {
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      }
      java.lang.Process child = pb.start();
      return new RuntimeExec(child, json, pidFile, sys, new PipeSession(child));
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(json);
        Files.deleteIfExists(pidFile);
      } catch (IOException ignored) {
        // best effort
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new InternalException("exec in container " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * crun hands the pty master over the console socket and stays in the foreground; runc does so
   * only with {@code --detach}, under kona-shim's subreaper, which exits with the process's status.
   */
  private static List<String> terminalCommand(OciRuntime runtime, ContainerId id, Path json, Path pidFile,
      Path socket, Path shim) {
    if (!runtime.name().equals("runc")) {
      return runtime.command("exec", "--tty", "--console-socket", socket.toString(),
          "--pid-file", pidFile.toString(), "--process", json.toString(), id.value());
    }
    if (shim == null) {
      throw new FailedPreconditionException("exec in container " + id
          + ": a terminal with runc needs kona-shim, which this engine was not given");
    }
    List<String> command = new ArrayList<>(List.of(shim.toString(), "reap", pidFile.toString()));
    command.addAll(runtime.command("exec", "--detach", "--tty", "--console-socket", socket.toString(),
        "--pid-file", pidFile.toString(), "--process", json.toString(), id.value()));
    return command;
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
      Files.deleteIfExists(pidFile);
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
    long target = execPid();
    if (target > 0 && child.isAlive()) {
      if (signal == SIGKILL) {
        killTree(target);
      } else {
        signal(target, signal);
      }
      return;
    }
    // Not started yet: the runtime forwards the signal to the exec'd process once it runs.
    try {
      sys.kill((int) child.pid(), signal);
    } catch (NativeCallException e) {
      if (child.isAlive()) {
        throw e.toKonaException().withContext("kill exec pid " + child.pid());
      }
    }
  }

  /**
   * Stops {@code root} and everything below it (a stopped process cannot fork), scanning until no
   * new process appears, then kills them all: a shell's children die with it instead of being
   * re-parented and running on.
   */
  private void killTree(long root) {
    Set<Long> stopped = new LinkedHashSet<>();
    for (int round = 0; round < 10; round++) {
      List<Long> found = Pids.tree(root).stream().filter(p -> !stopped.contains(p)).toList();
      if (found.isEmpty()) {
        break;
      }
      for (long pid : found) {
        signal(pid, SIGSTOP);
        stopped.add(pid);
      }
    }
    for (long pid : stopped) {
      signal(pid, SIGKILL);
    }
  }

  private void signal(long pid, int signal) {
    try {
      sys.kill((int) pid, signal);
    } catch (NativeCallException e) {
      // exited meanwhile
    }
  }

  /** The exec'd process's host pid from the runtime's pid file; 0 before the runtime wrote it. */
  private long execPid() {
    try {
      String text = Files.readString(pidFile).strip();
      return text.isEmpty() ? 0 : Long.parseLong(text);
    } catch (IOException | NumberFormatException e) {
      return 0;
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
