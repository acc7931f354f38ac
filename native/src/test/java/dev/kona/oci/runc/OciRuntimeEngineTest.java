package dev.kona.oci.runc;

import dev.kona.common.time.Waits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.NotFoundException;
import dev.kona.engine.ContainerEngine;
import dev.kona.engine.ContainerId;
import dev.kona.engine.ContainerState;
import dev.kona.engine.ContainerStatus;
import dev.kona.engine.CreateRequest;
import dev.kona.engine.ExecProcess;
import dev.kona.engine.ExecRequest;
import dev.kona.engine.ExitStatus;
import dev.kona.engine.StdioSession;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.linux.cgroup.CgroupPath;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.testing.KernelTempDir;
import dev.kona.linux.testing.NoLeaks;
import dev.kona.oci.spec.MemoryResources;
import dev.kona.oci.spec.Resources;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.SpecJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Busybox bundles run by runc and by crun, each under conmon, on the real kernel as root. */
@ExtendWith(NoLeaks.class)
class OciRuntimeEngineTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir(factory = KernelTempDir.class)
  Path tmp;

  private ContainerEngine engine;
  private final List<ContainerId> ids = new ArrayList<>();
  private final CgroupPath cgroupParent = CgroupPath.ROOT.child(KernelTempDir.PREFIX + "oci-" + ProcessHandle.current().pid());

  private ContainerEngine engine(String runtime) throws IOException {
    Path root = tmp.resolve("runtime-root");
    OciRuntime r = runtime.equals("runc") ? OciRuntime.runc(root) : OciRuntime.crunForHost(root, tmp.resolve("bin"));
    engine = new OciRuntimeEngine(r, tmp.resolve("state"), LinuxSyscalls.get());
    return engine;
  }

  private CreateRequest bundle(String name, String... args) throws IOException {
    ContainerId id = ContainerId.parse(name);
    ids.add(id);
    Path bundle = BusyboxBundle.create(tmp.resolve("bundles").resolve(name),
        cgroupParent.child(name).value(), List.of(args));
    return new CreateRequest(id, bundle, tmp.resolve("logs").resolve(name + ".log"), false, false);
  }

  @AfterEach
  void cleanUp() throws IOException {
    try {
      for (ContainerId id : ids) {
        try {
          engine.kill(id, 9);
          engine.waitForExit(id, WAIT);
          engine.delete(id);
        } catch (NotFoundException gone) {
          // deleted by the test
        }
      }
    } finally {
      CgroupManager.detect().delete(cgroupParent, Duration.ofSeconds(10));
      assertEquals(List.of(), monitorsUnder(tmp), "no conmon left running");
    }
  }

  /** Pids of processes whose command line mentions {@code dir} (conmon is not our child). */
  static List<Long> monitorsUnder(Path dir) throws IOException {
    List<Long> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmd.contains(dir.toString())) {
            found.add(Long.parseLong(p.getFileName().toString()));
            ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(ProcessHandle::destroyForcibly);
          }
        } catch (IOException vanished) {
          // exited meanwhile
        }
      }
    }
    return found;
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void createStartExit_logsInCriFormat(String runtime) throws IOException {
    ContainerEngine e = engine(runtime);
    CreateRequest req = bundle("echo-" + runtime, "sh", "-c", "echo hello from $(hostname); echo oops >&2; exit 3");

    ContainerState created = e.create(req);
    assertEquals(ContainerStatus.CREATED, created.status());
    assertTrue(created.pid() > 0);
    assertEquals(ContainerStatus.CREATED, e.state(req.id()).status());

    e.start(req.id());
    ExitStatus exit = e.waitForExit(req.id(), WAIT);
    assertEquals(3, exit.code());
    assertEquals("Error", exit.reason());
    ContainerState stopped = e.state(req.id());
    assertEquals(ContainerStatus.STOPPED, stopped.status());
    assertTrue(stopped.startedAt() != null);

    List<String> log = Files.readAllLines(req.logPath());
    assertTrue(log.stream().anyMatch(l -> l.matches("\\S+ stdout F hello from kona-test")), log.toString());
    assertTrue(log.stream().anyMatch(l -> l.matches("\\S+ stderr F oops")), log.toString());

    e.delete(req.id());
    assertThrows(NotFoundException.class, () -> e.state(req.id()));
    e.delete(req.id());
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void stop_sleepingPid1_escalatesToKill(String runtime) throws IOException {
    ContainerEngine e = engine(runtime);
    CreateRequest req = bundle("sleep-" + runtime, "sleep", "300");
    e.create(req);
    e.start(req.id());
    assertEquals(ContainerStatus.RUNNING, e.state(req.id()).status());
    assertThrows(FailedPreconditionException.class, () -> e.delete(req.id()));

    // pid 1 ignores SIGTERM without a handler: stop must escalate.
    ExitStatus exit = e.stop(req.id(), 15, Duration.ofMillis(500));
    assertEquals(9, exit.signal());
    assertEquals(137, exit.code());
    e.kill(req.id(), 9); // stopped: not an error
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void exec_runsInContainerWithItsEnv(String runtime) throws Exception {
    ContainerEngine e = engine(runtime);
    CreateRequest req = bundle("exec-" + runtime, "sleep", "300");
    e.create(req);
    e.start(req.id());

    try (ExecProcess p = e.exec(req.id(), new ExecRequest(
        List.of("sh", "-c", "echo $KONA $EXTRA $(hostname); cat /proc/self/status | grep NoNewPrivs; exit 7"),
        List.of("EXTRA=x"), false, false))) {
      String out = new String(p.stdio().stdout().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(7, p.waitFor(WAIT).code());
      assertTrue(out.startsWith("1 x kona-test\n"), out);
      assertTrue(out.matches("(?s).*NoNewPrivs:\\s+1.*"), out);
    }

    ExecRequest withTerminal = new ExecRequest(
        List.of("sh", "-c", "tty; read x; echo got:$x"), List.of(), true, true);
    if (runtime.equals("runc")) {
      assertThrows(FailedPreconditionException.class, () -> e.exec(req.id(), withTerminal));
      return;
    }
    try (ExecProcess tty = e.exec(req.id(), withTerminal)) {
      tty.stdio().resize(100, 30);
      String first = readLine(tty.stdio().stdout());
      assertTrue(first.matches("/dev/pts/\\d+\r?"), "a terminal: " + first);
      tty.stdio().stdin().write("hi\n".getBytes(StandardCharsets.UTF_8));
      String rest = new String(tty.stdio().stdout().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(rest.contains("got:hi"), rest);
      assertEquals(0, tty.waitFor(WAIT).code());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void missingProgram_isAClearErrorAndLeavesNothing(String runtime) throws IOException {
    ContainerEngine e = engine(runtime);
    CreateRequest req = bundle("missing-" + runtime, "/no/such/program");

    KonaException error = assertThrows(KonaException.class, () -> {
      e.create(req);
      e.start(req.id());
    });
    assertTrue(error.getMessage().contains("/no/such/program") || error.getMessage().contains("no such file"),
        error.getMessage());
    try {
      e.delete(req.id());
    } catch (NotFoundException alreadyGone) {
      // create cleaned up itself
    }
    assertFalse(Files.exists(tmp.resolve("state").resolve(req.id().value())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void reopenLog_afterRotation(String runtime) throws Exception {
    ContainerEngine e = engine(runtime);
    CreateRequest req = bundle("rotate-" + runtime, "sh", "-c",
        "i=0; while true; do echo line$i; i=$((i+1)); sleep 0.05; done");
    e.create(req);
    e.start(req.id());
    assertTrue(Waits.until(WAIT, 20, () -> Files.exists(req.logPath()) && size(req.logPath()) > 0));

    Path rotated = req.logPath().resolveSibling("rotated.log");
    Files.move(req.logPath(), rotated);
    e.reopenLog(req.id());
    assertTrue(Waits.until(WAIT, 20, () -> Files.exists(req.logPath()) && size(req.logPath()) > 0),
        "a new log file is written");
    assertTrue(Files.readString(req.logPath()).contains(" stdout F line"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void list_findsContainersOfAnEarlierEngine(String runtime) throws IOException {
    ContainerEngine first = engine(runtime);
    CreateRequest req = bundle("list-" + runtime, "sleep", "300");
    first.create(req);
    first.start(req.id());

    ContainerEngine restarted = engine(runtime);
    List<ContainerState> all = restarted.list();
    assertEquals(1, all.size());
    assertEquals(ContainerStatus.RUNNING, all.getFirst().status());
    assertNull(all.getFirst().exit());
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void attach_stdinAndBothStreams(String runtime) throws Exception {
    ContainerEngine e = engine(runtime);
    CreateRequest plain = bundle("attach-" + runtime, "sh", "-c",
        "read line; echo got:$line; echo to-err >&2; read again; echo bye:$again");
    CreateRequest req = new CreateRequest(plain.id(), plain.bundle(), plain.logPath(), true, true);
    e.create(req);
    try (StdioSession s = e.attach(req.id())) {
      e.start(req.id());
      s.stdin().write("hello\n".getBytes(StandardCharsets.UTF_8));
      s.stdin().flush();
      assertEquals("got:hello", readLine(s.stdout()));
      assertEquals("to-err", readLine(s.stderr()));
      s.stdin().write("again\n".getBytes(StandardCharsets.UTF_8));
      s.closeStdin();
      assertEquals("bye:again", readLine(s.stdout()));
    }
    assertEquals(0, e.waitForExit(req.id(), WAIT).code());
    assertTrue(Files.readString(req.logPath()).contains(" stdout F got:hello"));
    assertThrows(FailedPreconditionException.class, () -> e.attach(req.id()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void terminal_outputArrivesOnStdoutThroughAPty(String runtime) throws Exception {
    ContainerEngine e = engine(runtime);
    CreateRequest plain = bundle("tty-" + runtime, "sh", "-c", "tty; echo done");
    Path config = plain.bundle().resolve("config.json");
    Spec spec = SpecJson.read(plain.bundle());
    SpecJson.write(plain.bundle(), spec.withProcess(spec.process().withTerminal(true)));
    assertTrue(Files.readString(config).contains("\"terminal\" : true"));

    e.create(plain);
    e.start(plain.id());
    assertEquals(0, e.waitForExit(plain.id(), WAIT).code());
    String log = Files.readString(plain.logPath());
    assertTrue(log.matches("(?s).* stdout F /dev/pts/\\d+\\r?\n.*"), log);
    assertTrue(log.contains(" stdout F done"), log);
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void exitWhileNoEngineRuns_isReportedByTheNextOne(String runtime) throws Exception {
    ContainerEngine first = engine(runtime);
    CreateRequest req = bundle("gone-" + runtime, "sh", "-c", "sleep 0.3; exit 4");
    first.create(req);
    first.start(req.id());
    Thread.sleep(1000); // the "daemon" is down while the container exits

    ContainerEngine restarted = engine(runtime);
    ContainerState state = restarted.state(req.id());
    assertEquals(ContainerStatus.STOPPED, state.status());
    assertEquals(4, state.exit().code());
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void oomKill_isReported(String runtime) throws Exception {
    ContainerEngine e = engine(runtime);
    CreateRequest req = bundle("oom-" + runtime, "tail", "/dev/zero");
    Spec spec = SpecJson.read(req.bundle());
    Resources resources = new Resources(List.of(), MemoryResources.limit(16L << 20, 16L << 20),
        null, null, null, List.of(), null);
    SpecJson.write(req.bundle(), spec.withLinux(spec.linux().withResources(resources)));
    e.create(req);
    e.start(req.id());
    ExitStatus exit = e.waitForExit(req.id(), WAIT);
    assertEquals(9, exit.signal());
    assertTrue(exit.oomKilled(), exit.toString());
    assertEquals("OOMKilled", exit.reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void delete_neverStarted(String runtime) throws Exception {
    ContainerEngine e = engine(runtime);
    CreateRequest req = bundle("unstarted-" + runtime, "echo", "never");
    int pid = e.create(req).pid();
    e.delete(req.id());
    assertThrows(NotFoundException.class, () -> e.state(req.id()));
    assertTrue(Waits.until(WAIT, 20, () -> !Pids.running(pid)), "container init is gone");
    assertEquals("", Files.exists(req.logPath()) ? Files.readString(req.logPath()) : "");
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    return line.toString();
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
