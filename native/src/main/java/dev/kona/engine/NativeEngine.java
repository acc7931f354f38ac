package dev.kona.engine;

import dev.kona.common.error.AlreadyExistsException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.NotFoundException;
import dev.kona.engine.plan.ContainerPlanner;
import dev.kona.engine.plan.ExecPlanner;
import dev.kona.engine.plan.LaunchPlan;
import dev.kona.engine.plan.PlanEncoder;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.SpecJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Kona's own engine: each container is a {@code kona-shim} monitor that outlives the daemon. All
 * state lives under the {@link RunRoot}, so a new instance over the same
 * root (after a daemon restart) sees every container, with exits that happened meanwhile. What
 * it keeps in memory is a {@link StatusCache} of what it read there.
 */
public final class NativeEngine implements ContainerEngine {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NativeEngine.class);
  private static final String BUNDLE_FILE = "bundle";
  private static final int SIGKILL = 9;

  private final RunRoot runRoot;
  private final ShimLauncher launcher;
  private final ContainerPlanner planner;
  private final ExecPlanner execPlanner;
  private final CgroupPlacement cgroups;
  private final int maxLogLine;
  private final Monitors monitors = new Monitors();
  private final StatusCache statuses = new StatusCache();
  private final PodInits podInits;

  private final Path shim;

  /** The helper executable; it also makes pods' user namespaces ({@code kona-shim unshare}). */
  public Path shim() {
    return shim;
  }

  public NativeEngine(RunRoot runRoot, Path shim, ContainerPlanner planner, CgroupPlacement cgroups, int maxLogLine) {
    this.runRoot = runRoot;
    this.launcher = new ShimLauncher(shim);
    this.shim = shim;
    this.planner = planner;
    this.execPlanner = new ExecPlanner(planner);
    this.cgroups = cgroups;
    this.maxLogLine = maxLogLine;
    this.podInits = new PodInits(runRoot, launcher, monitors);
  }

  /** PID 1 processes for pods with a shared PID namespace. */
  public PodInits podInits() {
    return podInits;
  }

  @Override
  public String name() {
    return "kona";
  }

  @Override
  public ContainerState create(CreateRequest request) {
    ContainerId id = request.id();
    Path dir = runRoot.container(id);
    Spec spec = readSpec(request.bundle());
    try {
      Files.createDirectories(runRoot.containers());
      Files.createDirectory(dir);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new AlreadyExistsException("create container " + id + ": the id is in use");
    } catch (IOException e) {
      throw new InternalException("create container " + id + ": make " + dir, e);
    }
    CgroupPlacement.Placed placed = null;
    try {
      Files.writeString(dir.resolve(BUNDLE_FILE), request.bundle().toString());
      // A copy of the spec, so exec and delete do not depend on the bundle still being there. It
      // comes before the cgroups: delete() finds them by it, also after a crash part-way through.
      Files.copy(request.bundle().resolve(SpecJson.FILE_NAME), dir.resolve(SpecJson.FILE_NAME));
      placed = cgroups.create(id, spec);
      LaunchPlan plan = planner.plan(spec, request.bundle(), new ContainerPlanner.Placement(
          placed.procsFiles(), placed.oomCounter(), request.logPath(), request.stdin(), request.stdinOnce(), maxLogLine));
      try {
        launcher.create(dir, PlanEncoder.encode(plan));
      } finally {
        cgroups.launched(id);
      }
      return state(id);
    } catch (IOException | RuntimeException e) {
      RunRoot.deleteTree(dir);
      if (placed != null) {
        cgroups.remove(id, spec);
      }
      if (e instanceof KonaException k) {
        throw k.withContext("create container " + id);
      }
      throw new InternalException("create container " + id, e);
    }
  }

  @Override
  public void start(ContainerId id) {
    Path dir = existing(id);
    String reply;
    try {
      reply = monitors.request(dir, "start");
    } finally {
      statuses.forget(dir); // the monitor wrote "running" (or is gone)
    }
    if (reply == null) {
      throw new FailedPreconditionException("start container " + id + ": it has already exited");
    }
    if (!reply.equals("ok")) {
      String[] parts = reply.split(" ", 3);
      String message = parts.length == 3 ? parts[2] : reply;
      throw ShimLauncher.failure(parts.length == 3 ? parseInt(parts[1]) : 0, message)
          .withContext("start container " + id);
    }
  }

  @Override
  public void kill(ContainerId id, int signal) {
    Path dir = runRoot.container(id);
    if (Files.isDirectory(dir)) {
      monitors.signal(dir, signal);
    }
  }

  @Override
  public ContainerState state(ContainerId id) {
    Path dir = runRoot.container(id);
    StatusCache.Observed observed = statuses.get(dir, d -> monitors.statusOrNull(existing(id)));
    if (observed == null) {
      throw new NotFoundException("state of container " + id + ": no monitor status (create did not finish)");
    }
    MonitorStatus status = observed.status();
    if (!status.stopped() && !observed.monitorAlive()) {
      MonitorStatus again = monitors.statusOrNull(dir); // it may have just written its exit
      if (again != null && !again.stopped()) {
        return new ContainerState(id, ContainerStatus.UNKNOWN, 0, created(status), MonitorStatus.instant(status.started()), null);
      }
      status = again;
    }
    return switch (status.status()) {
      case "created" -> new ContainerState(id, ContainerStatus.CREATED, status.pid(), created(status), null, null);
      case "running" -> new ContainerState(id, ContainerStatus.RUNNING, status.pid(), created(status),
          MonitorStatus.instant(status.started()), null);
      default -> new ContainerState(id, ContainerStatus.STOPPED, 0, created(status),
          MonitorStatus.instant(status.started()), status.exit());
    };
  }

  @Override
  public ExitStatus waitForExit(ContainerId id, Duration timeout) {
    Path dir = existing(id);
    ExitStatus exit = monitors.waitForExit(dir, timeout);
    // The monitor writes its final status a moment before it exits; a "running" cached from
    // before would still pass the pidfd check in that moment, and the caller knows it is over.
    statuses.forget(dir);
    return exit;
  }

  @Override
  public void delete(ContainerId id) {
    Path dir = runRoot.container(id);
    statuses.forget(dir);
    if (!Files.isDirectory(dir)) {
      return;
    }
    MonitorStatus status = monitors.statusOrNull(dir);
    if (status != null && status.status().equals("running") && status.monitorAlive()) {
      throw new FailedPreconditionException("delete container " + id + ": it is running (pid " + status.pid() + "); stop it first");
    }
    boolean orphan = status != null && !status.stopped() && !status.monitorAlive() && status.processAlive();
    if (status != null && status.status().equals("created") && status.monitorAlive() || orphan) {
      monitors.signal(dir, SIGKILL);
      monitors.waitForExit(dir, Duration.ofSeconds(10));
    }
    Spec spec = savedSpec(dir);
    if (spec != null) {
      try {
        cgroups.remove(id, spec);
      } catch (RuntimeException e) {
        LOG.warn("delete container {}: remove its cgroups: {}", id, e.getMessage());
      }
    }
    RunRoot.deleteTree(dir);
    statuses.forget(dir); // and whatever a state() racing with this delete cached meanwhile
  }

  @Override
  public ExecProcess exec(ContainerId id, ExecRequest request) {
    Path dir = existing(id);
    ContainerState state = state(id);
    if (state.status() != ContainerStatus.RUNNING) {
      throw new FailedPreconditionException("exec in container " + id + ": expected RUNNING, is " + state.status());
    }
    Spec spec = savedSpec(dir);
    if (spec == null) {
      throw new InternalException("exec in container " + id + ": its saved config.json is unreadable");
    }
    CgroupPlacement.Placed placed = cgroups.locate(id, spec);
    LaunchPlan plan = execPlanner.plan(spec, state.pid(), placed.procsFiles(), request.args(), request.env(),
        request.tty(), request.stdin());
    String execId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    Path execDir = runRoot.execs().resolve(execId);
    MonitorStdioSession session = null;
    try {
      Files.createDirectories(execDir);
      launcher.create(execDir, PlanEncoder.encode(plan));
      session = MonitorStdioSession.open(execDir);
      String reply = monitors.request(execDir, "start");
      if (!"ok".equals(reply)) {
        String[] parts = reply == null ? new String[0] : reply.split(" ", 3);
        throw ShimLauncher.failure(parts.length == 3 ? parseInt(parts[1]) : 0,
            parts.length == 3 ? parts[2] : "exec process exited before start");
      }
      return new NativeExecProcess(execId, execDir, session, monitors);
    } catch (IOException | RuntimeException e) {
      if (session != null) {
        session.close();
        monitors.waitForExit(execDir, Duration.ofSeconds(10));
      }
      RunRoot.deleteTree(execDir);
      if (e instanceof KonaException k) {
        throw k.withContext("exec " + request.args().getFirst() + " in container " + id);
      }
      throw new InternalException("exec in container " + id, e);
    }
  }

  @Override
  public StdioSession attach(ContainerId id) {
    Path dir = existing(id);
    try {
      return MonitorStdioSession.open(dir);
    } catch (IOException e) {
      throw new FailedPreconditionException("attach to container " + id + ": its monitor is gone (exited)");
    }
  }

  @Override
  public void reopenLog(ContainerId id) {
    String reply = monitors.request(existing(id), "reopen");
    if (reply == null) {
      throw new FailedPreconditionException("reopen log of container " + id + ": it is not running");
    }
    if (!reply.equals("ok")) {
      throw new InternalException("reopen log of container " + id + ": " + reply);
    }
  }

  @Override
  public List<ContainerState> list() {
    removeFinishedExecs();
    List<ContainerState> states = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(runRoot.containers())) {
      for (Path dir : dirs.sorted().toList()) {
        try {
          states.add(state(new ContainerId(dir.getFileName().toString())));
        } catch (NotFoundException e) {
          // a create that is in flight, or died before its monitor wrote a status
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new InternalException("list containers under " + runRoot.containers(), e);
    }
    return states;
  }

  /** Container dirs whose monitor never wrote a status: it died, or was never started, before that. */
  @Override
  public List<ContainerId> unfinished() {
    List<ContainerId> ids = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(runRoot.containers())) {
      for (Path dir : dirs.sorted().toList()) {
        if (Files.isDirectory(dir) && monitors.statusOrNull(dir) == null) {
          ids.add(new ContainerId(dir.getFileName().toString()));
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new InternalException("list containers under " + runRoot.containers(), e);
    }
    return ids;
  }

  /** Exec directories left by a daemon that died before reading their exits. */
  private void removeFinishedExecs() {
    try (Stream<Path> dirs = Files.list(runRoot.execs())) {
      for (Path dir : dirs.toList()) {
        MonitorStatus s = monitors.statusOrNull(dir);
        if (s == null || s.stopped() || !s.monitorAlive()) {
          RunRoot.deleteTree(dir);
        }
      }
    } catch (IOException e) {
      // no exec directory yet
    }
  }

  private Path existing(ContainerId id) {
    Path dir = runRoot.container(id);
    if (!Files.isDirectory(dir)) {
      throw new NotFoundException("container " + id + " does not exist");
    }
    return dir;
  }

  private static Instant created(MonitorStatus status) {
    Instant at = MonitorStatus.instant(status.created());
    return at == null ? Instant.EPOCH : at;
  }

  private static Spec readSpec(Path bundle) {
    Path config = bundle.resolve(SpecJson.FILE_NAME);
    try {
      return SpecJson.parse(Files.readString(config));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new dev.kona.common.error.InvalidArgumentException("read bundle: " + config + " does not exist");
    } catch (IOException e) {
      throw new InternalException("read bundle " + config, e);
    }
  }

  /** The spec copied into the state directory at create; null if it is unreadable. */
  private static Spec savedSpec(Path dir) {
    try {
      return readSpec(dir);
    } catch (KonaException e) {
      return null;
    }
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
