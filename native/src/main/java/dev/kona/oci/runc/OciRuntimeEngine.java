package dev.kona.oci.runc;

import dev.kona.common.time.Waits;
import dev.kona.common.error.AlreadyExistsException;
import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.NotFoundException;
import dev.kona.common.fs.AtomicFile;
import dev.kona.common.fs.DirectoryTree;
import dev.kona.engine.ContainerEngine;
import dev.kona.engine.ContainerId;
import dev.kona.engine.ContainerState;
import dev.kona.engine.ContainerStatus;
import dev.kona.engine.CreateRequest;
import dev.kona.engine.ExecProcess;
import dev.kona.engine.ExecRequest;
import dev.kona.engine.ExitStatus;
import dev.kona.engine.StdioSession;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.OpenFlags;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.SpecJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerEngine} over an OCI runtime command line (runc or crun), with conmon as each
 * container's monitor, as CRI-O runs them. Create runs {@code runtime create} under conmon;
 * start/state/kill/delete call the runtime directly; exec runs {@code runtime exec} as a child of
 * the daemon. Containers, their logs and their exit codes survive a daemon restart: conmon keeps
 * them and writes the exit file into the container's directory under {@code stateRoot}.
 *
 * <p>Attach goes through conmon's attach socket; an exec with a terminal gets its pty master
 * from the runtime over a console socket (runc: detached, under kona-shim's subreaper).
 */
public final class OciRuntimeEngine implements ContainerEngine {
  private static final Logger log = LoggerFactory.getLogger(OciRuntimeEngine.class);
  private static final Duration EXIT_FILE_GRACE = Duration.ofSeconds(2);
  private static final Duration LOG_REOPEN_TIMEOUT = Duration.ofSeconds(10);

  /** Where Debian's conmon package installs the monitor this engine needs. */
  public static final Path CONMON = ConmonLauncher.CONMON;

  private final OciRuntime runtime;
  private final Path stateRoot;
  private final Syscalls sys;
  private final ConmonLauncher conmon;
  private final Path shim;

  /** {@code stateRoot} holds Kona's per-container dirs; the runtime keeps its own under its root. */
  public OciRuntimeEngine(OciRuntime runtime, Path stateRoot, Syscalls sys) {
    this(runtime, stateRoot, sys, ConmonLauncher.CONMON);
  }

  public OciRuntimeEngine(OciRuntime runtime, Path stateRoot, Syscalls sys, Path conmonBinary) {
    this(runtime, stateRoot, sys, conmonBinary, null);
  }

  /**
   * {@code shim} is the kona-shim executable, whose subreaper ({@code kona-shim reap}) runc's
   * terminal execs need; null refuses those.
   */
  public OciRuntimeEngine(OciRuntime runtime, Path stateRoot, Syscalls sys, Path conmonBinary, Path shim) {
    this.runtime = runtime;
    this.stateRoot = stateRoot;
    this.sys = sys;
    this.conmon = new ConmonLauncher(sys, conmonBinary);
    this.shim = shim;
  }

  @Override
  public String name() {
    return runtime.name();
  }

  @Override
  public ContainerState create(CreateRequest request) {
    ContainerDir dir = ContainerDir.of(stateRoot, request.id());
    Spec spec = SpecJson.read(request.bundle());
    try {
      Files.createDirectories(stateRoot);
      Files.createDirectory(dir.dir());
    } catch (FileAlreadyExistsException e) {
      throw new AlreadyExistsException(
          "create container " + request.id() + ": already exists", e);
    } catch (IOException e) {
      throw new InternalException("create container " + request.id() + ": " + e.getMessage(), e);
    }
    try {
      Instant created = Instant.now();
      Files.writeString(dir.bundleFile(), request.bundle().toString());
      if (request.logPath() != null) {
        Files.createDirectories(request.logPath().getParent());
        Files.writeString(dir.logPathFile(), request.logPath().toString());
      }
      Files.writeString(dir.createdFile(), created.toString());
      boolean terminal = spec.process() != null && spec.process().terminal();
      int pid = conmon.create(runtime, dir, request, terminal);
      return new ContainerState(request.id(), ContainerStatus.CREATED, pid, created, null, null);
    } catch (IOException | RuntimeException e) {
      cleanUpFailedCreate(request.id(), dir, e);
      if (e instanceof KonaException k) {
        throw k;
      }
      throw new InternalException("create container " + request.id() + ": " + e.getMessage(), e);
    }
  }

  private void cleanUpFailedCreate(ContainerId id, ContainerDir dir, Exception cause) {
    try {
      RuntimeCommand.run(runtime.command("delete", "--force", id.value()), null);
      waitForConmon(dir, Duration.ofSeconds(5));
      deleteTree(dir.dir());
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public void start(ContainerId id) {
    ContainerDir dir = existing(id);
    Instant starting = Instant.now();
    RuntimeCommand.Result r = RuntimeCommand.run(runtime.command("start", id.value()), null);
    if (!r.ok()) {
      throw new FailedPreconditionException("start container " + id + ": " + runtime.name()
          + " start: " + r.reason());
    }
    // When the process started, not when the runtime returned: it may have exited meanwhile.
    write(dir.startedFile(), starting.toString());
  }

  @Override
  public void kill(ContainerId id, int signal) {
    ContainerDir dir = existing(id);
    if (Files.exists(dir.exitFile())) {
      return;
    }
    RuntimeCommand.Result r = RuntimeCommand.run(runtime.command("kill", id.value(),
        Integer.toString(signal)), null);
    if (!r.ok() && !Files.exists(dir.exitFile()) && isRunning(id)) {
      throw new FailedPreconditionException("kill container " + id + " signal " + signal + ": " + r.reason());
    }
  }

  @Override
  public ContainerState state(ContainerId id) {
    ContainerDir dir = existing(id);
    Instant created = Instant.parse(read(dir.createdFile()));
    Instant started = Files.exists(dir.startedFile()) ? Instant.parse(read(dir.startedFile())) : null;
    ExitStatus exit = finishedAfterStart(exitStatus(dir), started);
    if (exit != null) {
      return new ContainerState(id, ContainerStatus.STOPPED, 0, created, started, exit);
    }
    RuntimeState rs = runtimeState(id);
    String status = rs == null ? "stopped" : rs.status();
    switch (status) {
      case "created":
        return new ContainerState(id, ContainerStatus.CREATED, rs.pid(), created, started, null);
      case "running", "paused", "pausing":
        return new ContainerState(id, ContainerStatus.RUNNING, rs.pid(), created, started, null);
      default:
        // Stopped: conmon writes the exit file right after reaping; give it a moment.
        Waits.until(EXIT_FILE_GRACE, 20, () -> Files.exists(dir.exitFile()));
        exit = finishedAfterStart(exitStatus(dir), started);
        return exit != null
            ? new ContainerState(id, ContainerStatus.STOPPED, 0, created, started, exit)
            : new ContainerState(id, ContainerStatus.UNKNOWN, 0, created, started, null);
    }
  }

  @Override
  public ExitStatus waitForExit(ContainerId id, Duration timeout) {
    ContainerDir dir = existing(id);
    if (!Waits.until(timeout, 20, () -> Files.exists(dir.exitFile()))) {
      throw new DeadlineExceededException("wait for container " + id + ": still running after " + timeout);
    }
    return exitStatus(dir);
  }

  @Override
  public void delete(ContainerId id) {
    ContainerDir dir = ContainerDir.of(stateRoot, id);
    if (!Files.isDirectory(dir.dir())) {
      return;
    }
    RuntimeState before = runtimeState(id);
    boolean started = before != null && !before.status().equals("created") && !before.status().equals("stopped");
    if (started && !Files.exists(dir.exitFile())) {
      throw new FailedPreconditionException("delete container " + id + ": still running");
    }
    RuntimeCommand.Result r = RuntimeCommand.run(runtime.command("delete", "--force", id.value()), null);
    if (!r.ok() && runtimeState(id) != null) {
      throw new InternalException("delete container " + id + ": " + runtime.name() + " delete: " + r.reason());
    }
    waitForConmon(dir, Duration.ofSeconds(10));
    removeConmonFifos(dir);
    deleteTree(dir.dir());
  }

  @Override
  public ExecProcess exec(ContainerId id, ExecRequest request) {
    ContainerDir dir = existing(id);
    if (!isRunning(id)) {
      throw new FailedPreconditionException("exec in container " + id + ": not running");
    }
    Spec spec = SpecJson.read(Path.of(read(dir.bundleFile())));
    return RuntimeExec.start(runtime, id, spec.process(), request, dir.dir(), shim, sys);
  }

  @Override
  public StdioSession attach(ContainerId id) {
    ContainerDir dir = existing(id);
    if (Files.exists(dir.exitFile())) {
      throw new FailedPreconditionException("attach to container " + id + ": it has exited");
    }
    return ConmonAttachSession.connect(sys, Path.of(read(dir.bundleFile())), id.value());
  }

  @Override
  public void reopenLog(ContainerId id) {
    ContainerDir dir = existing(id);
    Path ctl = Path.of(read(dir.bundleFile())).resolve("ctl");
    // conmon's control FIFO: "<type> <height> <width>", type 2 reopens the log file.
    try (var fd = sys.open(ctl.toString(), OpenFlags.O_WRONLY | OpenFlags.O_NONBLOCK, 0)) {
      sys.write(fd, "2 0 0\n".getBytes(StandardCharsets.US_ASCII));
    } catch (NativeCallException e) {
      throw e.toKonaException().withContext("reopen log of container " + id);
    }
    // conmon reopens when it reads the message: answer once the new file is there, as CRI-O
    // does, since the kubelet's rotation (and critest) look for it right after the call.
    if (Files.exists(dir.logPathFile())) {
      Path logFile = Path.of(read(dir.logPathFile()));
      if (!Waits.until(LOG_REOPEN_TIMEOUT, 10, () -> Files.exists(logFile))) {
        throw new InternalException("reopen log of container " + id + ": conmon did not create " + logFile
            + " within " + LOG_REOPEN_TIMEOUT);
      }
    }
  }

  @Override
  public List<ContainerState> list() {
    if (!Files.isDirectory(stateRoot)) {
      return List.of();
    }
    List<ContainerState> states = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(stateRoot)) {
      for (Path d : dirs.filter(p -> Files.exists(p.resolve("created"))).toList()) {
        try {
          states.add(state(ContainerId.parse(d.getFileName().toString())));
        } catch (NotFoundException e) {
          log.debug("container dir {} vanished while listing", d);
        }
      }
    } catch (IOException e) {
      throw new InternalException("list " + stateRoot + ": " + e.getMessage(), e);
    }
    return states;
  }

  private ContainerDir existing(ContainerId id) {
    ContainerDir dir = ContainerDir.of(stateRoot, id);
    if (!Files.exists(dir.createdFile())) {
      throw new NotFoundException("container " + id + ": not found in " + stateRoot);
    }
    return dir;
  }

  private boolean isRunning(ContainerId id) {
    RuntimeState rs = runtimeState(id);
    return rs != null && (rs.status().equals("running") || rs.status().equals("created")
        || rs.status().equals("paused"));
  }

  /** The runtime's view, or null when it no longer knows the container. */
  private RuntimeState runtimeState(ContainerId id) {
    RuntimeCommand.Result r = RuntimeCommand.run(runtime.command("state", id.value()), null);
    if (!r.ok()) {
      return null;
    }
    try {
      return SpecJson.mapper().readValue(r.stdout(), RuntimeState.class);
    } catch (IOException e) {
      throw new InternalException("state of container " + id + ": unreadable " + runtime.name()
          + " output: " + r.stdout().strip(), e);
    }
  }

  private static ExitStatus exitStatus(ContainerDir dir) {
    if (!Files.exists(dir.exitFile())) {
      return null;
    }
    String text = read(dir.exitFile()).strip();
    if (text.isEmpty()) {
      return null; // conmon is still writing it
    }
    int code = Integer.parseInt(text);
    Instant finished;
    try {
      finished = Files.getLastModifiedTime(dir.exitFile()).toInstant();
    } catch (IOException e) {
      finished = Instant.now();
    }
    boolean oom = Files.exists(dir.oomFile());
    // conmon folds a signal into 128+n, as a shell does; read it back as the signal.
    if (code > 128 && code <= 128 + 64) {
      return new ExitStatus(0, code - 128, oom, finished);
    }
    return new ExitStatus(code < 0 ? 255 : code, 0, oom, finished);
  }

  /**
   * The exit file's mtime is the kernel's coarse clock, and a process that exits at once may be
   * gone before {@code runtime start} returned: a finish never comes before the start.
   */
  private static ExitStatus finishedAfterStart(ExitStatus exit, Instant started) {
    if (exit == null || started == null || !exit.finishedAt().isBefore(started)) {
      return exit;
    }
    return new ExitStatus(exit.exitCode(), exit.signal(), exit.oomKilled(), started);
  }

  private void waitForConmon(ContainerDir dir, Duration timeout) {
    if (!Files.exists(dir.conmonPidFile())) {
      return;
    }
    int pid = Integer.parseInt(read(dir.conmonPidFile()).strip());
    boolean gone = Waits.until(timeout, 20, () -> !Pids.running(pid));
    if (!gone) {
      log.warn("conmon {} for {} still alive after {}", pid, dir.dir(), timeout);
    }
  }

  // conmon leaves its control FIFOs in the bundle; the bundle belongs to the caller.
  private static void removeConmonFifos(ContainerDir dir) {
    if (!Files.exists(dir.bundleFile())) {
      return;
    }
    Path bundle = Path.of(read(dir.bundleFile()));
    for (String name : List.of("ctl", "winsz", "attach", "oom")) {
      try {
        Files.deleteIfExists(bundle.resolve(name));
      } catch (IOException e) {
        log.debug("remove {} from bundle {}: {}", name, bundle, e.getMessage());
      }
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new InternalException("read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path file, String text) {
    try {
      AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new InternalException("write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) {
    try {
      DirectoryTree.delete(dir);
    } catch (IOException e) {
      throw new InternalException("remove " + dir + ": " + e.getMessage(), e);
    }
  }
}
