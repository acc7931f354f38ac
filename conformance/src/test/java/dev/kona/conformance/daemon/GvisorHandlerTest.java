package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.Mount;
import dev.kona.cri.api.v1.MountPropagation;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxStatusRequest;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemoveContainerRequest;
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
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods on a gVisor ({@code runsc}) handler of a real daemon: each container runs in a gVisor
 * sandbox of its own inside the pod's namespaces, on the pod's CNI network (a real bridge), with
 * exec, logs, exit codes, stop and a daemon restart, and leaves no sandbox, monitor, cgroup, mount
 * or veth behind. Skipped only where Debian's {@code runsc} is not installed.
 *
 * <p>The handler runs with its default {@code network = "host"}; Debian bookworm's runsc
 * (2022-12-19) also refuses {@code --network=sandbox} on kernels whose every network namespace has
 * {@code net.core.rmem_default} (it takes that for the root namespace), such as this host's.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class GvisorHandlerTest {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  private static final Path RUNSC = Path.of("/usr/bin/runsc");
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
  private static final String BRIDGE = "kgv" + SUFFIX;
  private static final String HANDLER = """
      [runtime.handlers.gvisor]
      engine = "runsc"
      platform = "ptrace"
      """;

  @TempDir Path root;
  KonaDaemon kona;
  final List<String> containerIds = new ArrayList<>();
  final List<String> podIds = new ArrayList<>();

  @BeforeAll
  static void runscInstalled() {
    assumeTrue(Files.isExecutable(RUNSC), "runsc is not installed (Debian package runsc): the gVisor handler is not tested");
  }

  @BeforeEach
  void start() throws Exception {
    Path netDir = Files.createDirectories(root.resolve("cni/net.d"));
    Files.writeString(netDir.resolve("10-gvisor.conflist"), """
        {"cniVersion": "1.0.0", "name": "kona-gvisor-%s", "plugins": [
          {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": false,
           "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.251.93.0/24"}]], "dataDir": "%s"}},
          {"type": "loopback"}
        ]}
        """.formatted(SUFFIX, BRIDGE, root.resolve("ipam")));
    kona = KonaDaemon.startWithConfig(root, registry.konaConfig() + HANDLER);
    kona.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(registry.image())).build());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      kona.removeAllPods();
      assertEquals(0, kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
    } finally {
      kona.close();
      new ProcessBuilder("ip", "link", "del", BRIDGE).redirectErrorStream(true).start().waitFor();
    }
    assertEquals(List.of(), PodSandboxTest.mountsUnder(root), "mounts left under the test root");
    assertEquals(List.of(), RuntimeHandlersTest.processesMentioning(root), "conmon or runsc processes left");
    assertEquals("", runsc("list", "-quiet").strip(), "gVisor containers left in the handler's root");
    for (String id : concat(containerIds, podIds)) {
      for (String controller : List.of("memory", "pids", "cpu")) {
        Path cgroup = Path.of("/sys/fs/cgroup", controller, "kona", id);
        assertFalse(Files.exists(cgroup), "cgroup left: " + cgroup);
      }
    }
  }

  @Test
  void podOnGvisor_runsEachContainerInASandbox_withTheNetworkExecLogsAndARestart() throws Exception {
    PodSandboxConfig config = PodSandboxTest.config("on-gvisor").toBuilder()
        .setLogDirectory(root.resolve("logs").toString()).build();
    String pod = runPod(config);
    String ip = kona.runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(pod).build())
        .getStatus().getNetwork().getIp();
    assertTrue(ip.startsWith("10.251.93."), "the pod has its CNI address: " + ip);

    String server = create(pod, config, "server", "sh", "-c",
        "echo hello from $(busybox hostname); busybox mkdir -p /www; echo pong > /www/index.html;"
            + " exec busybox httpd -f -p 8080 -h /www");
    // Ignores SIGTERM (and no busy loop: every process start is slow under ptrace).
    String sleeper = create(pod, config, "sleeper", "sh", "-c", "trap '' TERM; sleep 100000 & wait");
    String quitter = create(pod, config, "quitter", "sh", "-c", "sleep 1; exit 3");
    for (String id : List.of(server, sleeper, quitter)) {
      kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    }

    // runsc runs each container as a sandbox of its own, in the handler's root.
    List<String> sandboxes = List.of(runsc("list", "-quiet", "-sandbox").strip().split("\n"));
    assertTrue(sandboxes.containsAll(List.of(server, sleeper)), "runsc list -sandbox: " + sandboxes);
    assertFalse(sandboxes.contains(pod), "no sandbox for the pod itself: " + sandboxes);
    // It is gVisor's kernel that answers inside.
    ExecSyncResponse uname = exec(sleeper, "busybox", "uname", "-r");
    assertEquals("4.4.0\n", uname.getStdout().toStringUtf8(), "gVisor's kernel answers; exit " + uname.getExitCode()
        + ", stderr " + uname.getStderr().toStringUtf8());

    // The pod's address reaches the listener in gVisor from the host. (The HTTP exchange itself
    // is flaky under gVisor's host network: reads fail with EAGAIN at times; not asserted yet.)
    assertTrue(connects(ip, 8080), "a TCP connection to the pod's address and httpd's port");

    ExecSyncResponse exec = exec(sleeper, "sh", "-c", "echo out; echo err >&2; exit 4");
    assertEquals("out\n", exec.getStdout().toStringUtf8());
    assertEquals("err\n", exec.getStderr().toStringUtf8());
    assertEquals(4, exec.getExitCode());

    var done = kona.awaitExit(quitter, KonaDaemon.scaled(Duration.ofSeconds(60)));
    assertEquals(3, done.getExitCode());
    String log = Files.readString(root.resolve("logs/server/0.log"));
    // The pod's hostname is set in its host UTS namespace, which gVisor does not read: it says "?".
    assertTrue(log.matches("\\d{4}-\\d\\d-\\d\\dT\\S+ stdout F hello from \\S+\\n"), log);

    // A new daemon finds the pod's containers in their sandbox.
    kona.kill();
    kona = KonaDaemon.start(root, "--config=" + root.resolve("kona.toml"));
    assertEquals(ContainerState.CONTAINER_RUNNING, kona.containerStatus(sleeper).getState());
    assertEquals(ContainerState.CONTAINER_EXITED, kona.containerStatus(quitter).getState());
    assertEquals(3, kona.containerStatus(quitter).getExitCode());
    assertEquals("still here\n", exec(sleeper, "sh", "-c", "echo still here").getStdout().toStringUtf8());

    kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(sleeper).setTimeout(1).build());
    assertEquals(ContainerState.CONTAINER_EXITED, kona.containerStatus(sleeper).getState());
    assertEquals(137, kona.containerStatus(sleeper).getExitCode());
    kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(sleeper).build());

    // Stopping the pod stops what still runs, and its gVisor sandbox with it.
    kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(pod).build());
    assertEquals(ContainerState.CONTAINER_EXITED, kona.containerStatus(server).getState());
    kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(pod).build());
    try (Stream<Path> left = Files.list(root.resolve("run/handlers/gvisor/containers"))) {
      assertEquals(List.of(), left.toList(), "the engine's container dirs are gone");
    }
  }

  /** runsc signals only running containers; a created one must still go, sandbox and all. */
  @Test
  void createdContainer_isRemoved_withItsSandbox() throws Exception {
    PodSandboxConfig config = PodSandboxTest.config("gv-created");
    String pod = runPod(config);
    String created = create(pod, config, "created", "sleep", "100000");
    assertTrue(runsc("list", "-quiet").contains(created), "its sandbox is up");
    kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(created).build());
    assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
        () -> kona.containerStatus(created)).getStatus().getCode());
    assertEquals("", runsc("list", "-quiet").strip(), "no gVisor container left");
  }

  @Test
  void mountPropagation_isRefused_namingTheField() throws Exception {
    PodSandboxConfig config = PodSandboxTest.config("gv-prop");
    String pod = runPod(config);
    Path shared = Files.createDirectories(root.resolve("shared"));
    ContainerConfig container = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName("prop"))
        .setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .addAllCommand(List.of("sleep", "100"))
        .addMounts(Mount.newBuilder().setHostPath(shared.toString()).setContainerPath("/shared")
            .setPropagation(MountPropagation.PROPAGATION_BIDIRECTIONAL))
        .build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> kona.runtime().createContainer(
        CreateContainerRequest.newBuilder().setPodSandboxId(pod).setConfig(container).setSandboxConfig(config).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(e.getStatus().getDescription().contains("config.mounts: propagation of /shared is PROPAGATION_BIDIRECTIONAL"),
        e.getStatus().getDescription());
    assertEquals(0, kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
  }

  @Test
  void runtimeAnnotations_areRefused_soNoContainerSteersRunsc() throws Exception {
    PodSandboxConfig config = PodSandboxTest.config("gv-annot");
    String pod = runPod(config);
    for (String key : List.of("io.kubernetes.cri.container-type", "io.kubernetes.cri.sandbox-id",
        "dev.gvisor.spec.mount.x.share")) {
      ContainerConfig container = ContainerConfig.newBuilder()
          .setMetadata(ContainerMetadata.newBuilder().setName("annot"))
          .setImage(ImageSpec.newBuilder().setImage(registry.image()))
          .addAllCommand(List.of("sleep", "100"))
          .putAnnotations(key, "container")
          .build();
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> kona.runtime().createContainer(
          CreateContainerRequest.newBuilder().setPodSandboxId(pod).setConfig(container).setSandboxConfig(config).build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
      assertTrue(e.getStatus().getDescription().contains("config.annotations: \"" + key
          + "\" is reserved for the runtime on the gVisor (runsc) handler"), e.getStatus().getDescription());
    }
    assertEquals(0, kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
  }

  @Test
  void status_listsGvisor_withoutFeaturesItLacks() {
    List<RuntimeHandler> handlers = kona.runtime().status(StatusRequest.getDefaultInstance()).getRuntimeHandlersList();
    assertEquals(List.of("", "gvisor"), handlers.stream().map(RuntimeHandler::getName).toList());
    RuntimeHandler gvisor = handlers.get(1);
    assertFalse(gvisor.getFeatures().getRecursiveReadOnlyMounts(), "gVisor makes no recursive read-only mounts");
    assertFalse(gvisor.getFeatures().getUserNamespaces(), "gVisor runs no pod in a user namespace of the host");
  }

  private String runPod(PodSandboxConfig config) {
    String pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config)
        .setRuntimeHandler("gvisor").build()).getPodSandboxId();
    podIds.add(pod);
    return pod;
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

  private ExecSyncResponse exec(String id, String... command) {
    return kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id).addAllCmd(List.of(command))
        .setTimeout(60).build());
  }

  /** Whether a TCP connection from the host to {@code ip:port} succeeds within the scaled wait. */
  private static boolean connects(String ip, int port) throws InterruptedException {
    long deadline = System.nanoTime() + KonaDaemon.scaled(Duration.ofSeconds(30)).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(ip, port), 5000);
        return true;
      } catch (IOException e) {
        Thread.sleep(200); // httpd may still be starting
      }
    }
    return false;
  }

  private String runsc(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(RUNSC.toString(), "--root=" + root.resolve("run/handlers/gvisor/root")));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "runsc " + args[0] + " answers");
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
