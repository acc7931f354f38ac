package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.ExecClient;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.ContainerStatus;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.KeyValue;
import dev.kona.cri.api.v1.LinuxContainerConfig;
import dev.kona.cri.api.v1.LinuxContainerSecurityContext;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.Mount;
import dev.kona.cri.api.v1.MountPropagation;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxStatusRequest;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.ReopenContainerLogRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.RuntimeHandler;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StatusRequest;
import dev.kona.cri.api.v1.StopContainerRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pods on the runc and crun handlers of a real daemon whose config declares both: each pod's
 * containers run under that runtime and conmon, through the whole lifecycle and a daemon restart,
 * and leave no monitor, runtime process, cgroup or mount behind.
 */
class RuntimeHandlersTest {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  private static final String HANDLERS = """
      [runtime.handlers.runc]
      engine = "runc"
      [runtime.handlers.crun]
      engine = "crun"
      binary = "/usr/bin/crun"
      """;

  @TempDir Path root;
  KonaDaemon kona;
  final List<String> containerIds = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    KonaDaemon.writeLoopbackNetwork(root);
    kona = KonaDaemon.startWithConfig(root, registry.konaConfig() + HANDLERS);
    kona.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(registry.image())).build());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      kona.removeAllPods();
      assertEquals(0, kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
    } finally {
      kona.close();
    }
    assertEquals(List.of(), PodSandboxTest.mountsUnder(root), "mounts left under the test root");
    assertEquals(List.of(), processesMentioning(root), "conmon or runtime processes left");
    for (String id : containerIds) {
      for (String controller : List.of("memory", "pids", "cpu")) {
        Path cgroup = Path.of("/sys/fs/cgroup", controller, "kona", id);
        assertFalse(Files.exists(cgroup), "container cgroup left: " + cgroup);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void podOnHandler_runsItsContainersUnderThatRuntime_acrossARestart(String handler) throws Exception {
    PodSandboxConfig config = PodSandboxTest.config("on-" + handler).toBuilder()
        .setLogDirectory(root.resolve("logs").toString()).build();
    String pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config)
        .setRuntimeHandler(handler).build()).getPodSandboxId();
    assertEquals(handler, kona.runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(pod).build())
        .getStatus().getRuntimeHandler());

    // Writes to its log, then waits for an exec to tell it to exit 3.
    long t0 = System.nanoTime();
    String worker = create(pod, config, "worker", "sh", "-c",
        "echo hello from $(hostname); while [ ! -f /done ]; do sleep 0.1; done; exit 3");
    // Ignores SIGTERM, so only the SIGKILL after StopContainer's timeout ends it.
    String sleeper = create(pod, config, "sleeper", "sh", "-c", "trap '' TERM; while true; do sleep 0.1; done");
    assertEquals(ContainerState.CONTAINER_CREATED, status(worker).getState());
    long t1 = System.nanoTime();
    for (String id : List.of(worker, sleeper)) {
      kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
      assertEquals(ContainerState.CONTAINER_RUNNING, status(id).getState());
    }
    System.out.printf("handler %s: CreateContainer %.0f ms, StartContainer+status %.0f ms (each of 2)%n", handler,
        (t1 - t0) / 2e6, (System.nanoTime() - t1) / 2e6);
    // conmon monitors it and drives the handler's runtime, which keeps its state in the handler's root.
    List<String> monitor = List.of(monitorCommandLine(worker).split(" "));
    String runtime = monitor.get(monitor.indexOf("--runtime") + 1);
    if (handler.equals("runc")) {
      assertEquals("/usr/sbin/runc", runtime);
    } else {
      // On a hybrid cgroup host Kona runs crun 1.8 through a wrapper in the handler's dir.
      assertTrue(runtime.equals("/usr/bin/crun")
          || runtime.equals(root.resolve("run/handlers/crun/bin/crun-hybrid").toString()), runtime);
    }
    assertTrue(Files.isDirectory(root.resolve("run/handlers/" + handler + "/root").resolve(worker)),
        handler + " keeps the container's state under the handler's root");

    ExecSyncResponse exec = exec(worker, "sh", "-c", "echo out; echo err >&2; exit 4");
    assertEquals("out\n", exec.getStdout().toStringUtf8());
    assertEquals("err\n", exec.getStderr().toStringUtf8());
    assertEquals(4, exec.getExitCode());

    ExecSyncResponse touch = exec(worker, "sh", "-c", ": > /done");
    assertEquals(0, touch.getExitCode(), touch.getStderr().toStringUtf8());
    ContainerStatus done = awaitExit(worker);
    assertEquals(3, done.getExitCode());
    assertEquals("Error", done.getReason());
    assertTrue(done.getFinishedAt() >= done.getStartedAt() && done.getStartedAt() > 0);
    String log = Files.readString(root.resolve("logs/worker/0.log"));
    assertTrue(log.matches("\\d{4}-\\d\\d-\\d\\dT\\S+ stdout F hello from on-" + handler + "-host\\n"), log);

    // A new daemon finds the sleeper on the same handler's engine.
    kona.kill();
    kona = KonaDaemon.start(root, "--config=" + root.resolve("kona.toml"));
    assertEquals(ContainerState.CONTAINER_RUNNING, status(sleeper).getState());
    assertEquals(ContainerState.CONTAINER_EXITED, status(worker).getState());
    assertEquals(3, status(worker).getExitCode());
    assertEquals("still here\n", exec(sleeper, "sh", "-c", "echo still here").getStdout().toStringUtf8());

    kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(sleeper).setTimeout(1).build());
    assertEquals(ContainerState.CONTAINER_EXITED, status(sleeper).getState());
    assertEquals(137, status(sleeper).getExitCode());

    for (String id : List.of(worker, sleeper)) {
      kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
      assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> status(id)).getStatus().getCode());
    }
    try (Stream<Path> left = Files.list(root.resolve("run/handlers/" + handler + "/containers"))) {
      assertEquals(List.of(), left.toList(), "the engine's container dirs are gone");
    }
    kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(pod).build());
    kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(pod).build());
  }

  /**
   * {@code crictl exec -it} on runc and crun: the exec gets a terminal (runc drives it through its
   * console socket, as containerd and CRI-O do), TERM=xterm as on Kona's engine (and containerd,
   * CRI-O) unless the container's environment sets TERM, which then wins, and its exit code comes
   * back on the status stream.
   */
  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void execTty_onHandler_hasATerminal_setsTerm_unlessTheContainerSetsIt(String handler) throws Exception {
    PodSandboxConfig config = PodSandboxTest.config("tty-" + handler);
    String pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config)
        .setRuntimeHandler(handler).build()).getPodSandboxId();
    String plain = create(pod, config, "plain", "sleep", "1000");
    String custom = createWithEnv(pod, config, "custom", "TERM", "vt100", "sleep", "1000");
    for (String id : List.of(plain, custom)) {
      kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    }

    String onPlain = execTty(plain, "tty; echo TERM=$TERM", "\"Success\"");
    assertTrue(onPlain.matches("(?s)/dev/pts/\\d+\r\n.*"), onPlain);
    assertTrue(onPlain.contains("TERM=xterm\r\n"), onPlain);
    String onCustom = execTty(custom, "echo TERM=$TERM; exit 3", "\"message\":\"3\"");
    assertTrue(onCustom.contains("TERM=vt100\r\n"), onCustom);
    // Without a terminal nothing is added to the environment.
    assertEquals("TERM=\n", exec(plain, "sh", "-c", "echo TERM=$TERM").getStdout().toStringUtf8());
  }

  /**
   * critest's "execSync with timeout", on every handler as on Kona's engine: the command is killed
   * at the timeout (and what it started with it), the call fails with DEADLINE_EXCEEDED rather
   * than waiting for the command, and nothing of it is left running in the container.
   */
  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void execSyncTimeout_onHandler_killsTheCommand_andAnswersDeadlineExceeded(String handler) throws Exception {
    PodSandboxConfig config = PodSandboxTest.config("timeout-" + handler);
    String pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config)
        .setRuntimeHandler(handler).build()).getPodSandboxId();
    String id = create(pod, config, "main", "sh", "-c", "while true; do read -t 1 x; done");
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());

    long t0 = System.nanoTime();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> kona.runtime().execSync(
        ExecSyncRequest.newBuilder().setContainerId(id).addAllCmd(List.of("sh", "-c", "sleep 4321; echo late"))
            .setTimeout(1).build()));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(seconds < 10, "answered after " + seconds + " s");
    ExecSyncResponse left = exec(id, "sh", "-c", "ps -o pid,args | grep '[s]leep 4321' || true");
    assertEquals("", left.getStdout().toStringUtf8(), "the timed-out command still runs");
    assertEquals(ContainerState.CONTAINER_RUNNING, status(id).getState());
  }

  /**
   * critest's "mount with 'rshared'": a Bidirectional mount of a shared host mount shows the
   * host's new mounts in the container and the container's on the host, on every handler. (crun
   * ran in a mount namespace that was only a slave of the host's, where the container's mounts
   * could not come back.)
   */
  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void bidirectionalMount_onHandler_propagatesBothWays(String handler) throws Exception {
    Path shared = Files.createDirectories(root.resolve("prop/mnt"));
    Path flags = Files.createDirectories(root.resolve("prop/flags"));
    Files.writeString(flags.resolve("flagFile"), "x");
    Files.createDirectories(shared.resolve("fromHost"));
    Path fromContainer = shared.resolve("fromContainer");
    sh("mount --bind '" + shared + "' '" + shared + "' && mount --make-rshared '" + shared + "'");
    try {
      PodSandboxConfig config = PodSandboxTest.config("prop-" + handler);
      String pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config)
          .setRuntimeHandler(handler).build()).getPodSandboxId();
      ContainerConfig container = ContainerConfig.newBuilder()
          .setMetadata(ContainerMetadata.newBuilder().setName("prop"))
          .setImage(ImageSpec.newBuilder().setImage(registry.image()))
          .addAllCommand(List.of("sleep", "1000"))
          .setLinux(LinuxContainerConfig.newBuilder()
              .setSecurityContext(LinuxContainerSecurityContext.newBuilder().setPrivileged(true)))
          .addMounts(Mount.newBuilder().setHostPath(shared.toString()).setContainerPath(shared.toString())
              .setPropagation(MountPropagation.PROPAGATION_BIDIRECTIONAL))
          .build();
      String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder()
          .setPodSandboxId(pod).setConfig(container).setSandboxConfig(config).build()).getContainerId();
      containerIds.add(id);
      kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());

      sh("mount --bind '" + flags + "' '" + shared.resolve("fromHost") + "'");
      assertEquals("flagFile\n", exec(id, "ls", "-A", shared.resolve("fromHost").toString()).getStdout().toStringUtf8(),
          "the host's mount reaches the container");
      ExecSyncResponse mounted = exec(id, "sh", "-c", "mkdir -p " + fromContainer + " && mount --bind /etc " + fromContainer);
      assertEquals(0, mounted.getExitCode(), mounted.getStderr().toStringUtf8());
      assertTrue(Files.exists(fromContainer.resolve("passwd")), "the container's mount reaches the host");
      kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(id).setTimeout(1).build());
    } finally {
      sh("umount -l '" + fromContainer + "' 2>/dev/null; umount -l '" + shared.resolve("fromHost") + "' 2>/dev/null; "
          + "umount -l '" + shared + "'; true");
    }
  }

  /**
   * critest's "reopening container log": when ReopenContainerLog answers, the new log file is
   * there, as the kubelet's rotation expects (conmon reopens it after a message on its control
   * FIFO; CRI-O waits for the file too).
   */
  @ParameterizedTest
  @ValueSource(strings = {"runc", "crun"})
  void reopenLog_onHandler_theNewFileExistsWhenTheCallReturns(String handler) throws Exception {
    PodSandboxConfig config = PodSandboxTest.config("reopen-" + handler).toBuilder()
        .setLogDirectory(root.resolve("logs").toString()).build();
    String pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config)
        .setRuntimeHandler(handler).build()).getPodSandboxId();
    String id = create(pod, config, "talker", "sh", "-c", "echo first; sleep 1000");
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    Path log = root.resolve("logs/talker/0.log");
    for (int i = 0; i < 5; i++) {
      Files.move(log, log.resolveSibling("0.log." + i), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      kona.runtime().reopenContainerLog(ReopenContainerLogRequest.newBuilder().setContainerId(id).build());
      assertTrue(Files.exists(log), "a new log after ReopenContainerLog #" + i);
    }
  }

  private static void sh(String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), script + ": " + out);
  }

  /** What {@code sh -c script} printed on the terminal of an exec with {@code tty} (crictl exec -it), whose status has {@code status}. */
  private String execTty(String id, String script, String status) throws Exception {
    String url = kona.runtime().exec(ExecRequest.newBuilder().setContainerId(id).addAllCmd(List.of("sh", "-c", script))
        .setTty(true).setStdin(true).setStdout(true).build()).getUrl();
    try (ExecClient client = ExecClient.connect(url)) {
      client.awaitServerClose(Duration.ofSeconds(20));
      String out = client.text(ExecClient.STDOUT);
      assertFalse(out.contains("not a tty"), out);
      assertTrue(client.text(ExecClient.STATUS).contains(status), client.text(ExecClient.STATUS));
      return out;
    }
  }

  @Test
  void status_listsTheDefaultAndEveryConfiguredHandler_withTheFeaturesEachHas() {
    List<RuntimeHandler> handlers = kona.runtime().status(StatusRequest.getDefaultInstance()).getRuntimeHandlersList();
    assertEquals(List.of("", "runc", "crun"), handlers.stream().map(RuntimeHandler::getName).toList());
    // Kona's engine: this host's kernel has mount_setattr; Debian's runc 1.1.5 lists "rro" in
    // `runc features`; crun 1.8.1 has no features subcommand, so nothing is claimed for it.
    assertEquals(List.of(true, true, false),
        handlers.stream().map(h -> h.getFeatures().getRecursiveReadOnlyMounts()).toList());
    // User namespaces: Kona's engine idmaps overlay layers on this host (probed at start); runc 1.1.5
    // has no mountExtensions.idmap and crun 1.8.1 no features, so neither claims them.
    assertEquals(List.of(true, false, false),
        handlers.stream().map(h -> h.getFeatures().getUserNamespaces()).toList());
  }

  @Test
  void unknownHandler_isRefused_namingTheConfiguredOnes() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> kona.runtime().runPodSandbox(
        RunPodSandboxRequest.newBuilder().setConfig(PodSandboxTest.config("gv")).setRuntimeHandler("gvisor").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("runtime_handler \"gvisor\" is not configured; this node has: \"\" (the default: Kona's engine), "
        + "\"kona\", \"runc\", \"crun\"", e.getStatus().getDescription());
    String pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(PodSandboxTest.config("k"))
        .setRuntimeHandler("kona").build()).getPodSandboxId();
    assertEquals("kona", kona.runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(pod).build())
        .getStatus().getRuntimeHandler());
  }

  @Test
  void handlerWithoutItsRuntime_stopsStartUp_namingTheKey() throws Exception {
    Path broken = root.resolve("broken");
    Files.createDirectories(broken);
    Path config = broken.resolve("kona.toml");
    Files.writeString(config, "[runtime.handlers.fast]\nengine = \"crun\"\nbinary = \"/opt/none/crun\"\n");
    try (KonaDaemon failed = KonaDaemon.launch(broken, "--config=" + config)) {
      assertTrue(failed.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the daemon exits");
      assertEquals(2, failed.process().exitValue(), failed.log());
      assertTrue(failed.log().contains(
          "key \"runtime.handlers.fast.binary\": crun is not installed at /opt/none/crun"), failed.log());
    }
    assertFalse(Files.exists(broken.resolve("kona.sock")), "no socket served");
  }

  private String create(String pod, PodSandboxConfig sandbox, String name, String... command) {
    ContainerConfig config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .addAllCommand(List.of(command))
        .setLogPath(name + "/0.log")
        .build();
    String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder()
        .setPodSandboxId(pod).setConfig(config).setSandboxConfig(sandbox).build()).getContainerId();
    containerIds.add(id);
    return id;
  }

  private String createWithEnv(String pod, PodSandboxConfig sandbox, String name, String key, String value,
      String... command) {
    ContainerConfig config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .addAllCommand(List.of(command))
        .addEnvs(KeyValue.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)))
        .build();
    String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder()
        .setPodSandboxId(pod).setConfig(config).setSandboxConfig(sandbox).build()).getContainerId();
    containerIds.add(id);
    return id;
  }

  private ContainerStatus status(String id) {
    return kona.containerStatus(id);
  }

  private ExecSyncResponse exec(String id, String... command) {
    return kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id).addAllCmd(List.of(command))
        .setTimeout(10).build());
  }

  private ContainerStatus awaitExit(String id) throws InterruptedException {
    return kona.awaitExit(id, Duration.ofSeconds(10));
  }


  /** The command line of the conmon that monitors {@code containerId}, arguments joined by spaces. */
  private static String monitorCommandLine(String containerId) throws IOException {
    for (String cmd : commandLines()) {
      if (cmd.contains("conmon") && cmd.contains("--cid " + containerId + " ")) {
        return cmd;
      }
    }
    throw new AssertionError("no conmon monitors container " + containerId);
  }

  /** Processes other than the daemon whose command line names {@code dir}: conmon, runc, crun. */
  /** Command lines of the processes that name {@code dir}, but not a Kona daemon's: monitors, runtimes. */
  static List<String> processesMentioning(Path dir) throws IOException {
    return commandLines().stream().filter(cmd -> cmd.contains(dir.toString()) && !cmd.contains(" daemon --socket=")).toList();
  }

  private static List<String> commandLines() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          found.add(new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (IOException vanished) {
          // exited meanwhile
        }
      }
    }
    return found;
  }
}
