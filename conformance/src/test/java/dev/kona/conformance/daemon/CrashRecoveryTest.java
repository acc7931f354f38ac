package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.conformance.fixture.NodeCgroups;
import dev.kona.cri.api.v1.Container;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.ImageStatusRequest;
import dev.kona.cri.api.v1.LinuxPodSandboxConfig;
import dev.kona.cri.api.v1.LinuxSandboxSecurityContext;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.NamespaceMode;
import dev.kona.cri.api.v1.NamespaceOption;
import dev.kona.cri.api.v1.PodSandbox;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.PodSandboxState;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kill -9 of the daemon at every named step of the pod and container lifecycle (the test-only
 * {@code KONA_FAULT_EXIT_AT} hook halts it there, as SIGKILL would), then a restart on the same
 * state and run roots: the listings agree with the host, every listed pod stops and removes, and
 * then nothing is left: no mount under the roots, no monitor or pod init, no cgroup (v1 or v2), no
 * systemd unit of Kona's (under the systemd driver), no veth on the test's bridge, no IP in its IPAM
 * store, no file of any pod or container, no journal entry.
 *
 * <p>The cases share one root (the image is pulled once) and one CNI bridge network; each case
 * starts from and must return to an empty node.
 */
class CrashRecoveryTest {

  @RegisterExtension static BusyboxRegistry registry = new BusyboxRegistry();

  @TempDir static Path root;

  static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
  static final String CGROUP_PARENT = NodeCgroups.podParent("crash");
  static final String BRIDGE = "kcr" + SUFFIX;
  static final String NETWORK = "kona-crash-" + SUFFIX;

  static Path config;
  static Path ipam;

  @BeforeAll
  static void network() throws IOException {
    ipam = root.resolve("ipam");
    Path netDir = root.resolve("cni/net.d");
    Files.createDirectories(netDir);
    // No gateway address, no masquerading, no route: a bridge that carries nothing off the node.
    Files.writeString(netDir.resolve("10-crash.conflist"), """
        {"cniVersion": "1.0.0", "name": "%s", "plugins": [
          {"type": "bridge", "bridge": "%s", "isGateway": false, "ipMasq": false,
           "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.251.77.0/24"}]], "dataDir": "%s"}}
        ]}
        """.formatted(NETWORK, BRIDGE, ipam));
    config = root.resolve("kona.toml");
    Files.writeString(config, registry.konaConfig());
  }

  /**
   * The safety net after a case that failed: what the daemon left is taken down by hand, so that
   * the next case starts from an empty node and the test leaves nothing behind.
   */
  @AfterEach
  void scrubWhatAFailedCaseLeft() throws Exception {
    Leftovers left = Leftovers.take();
    if (left.equals(Leftovers.NONE)) {
      return;
    }
    for (String pid : pidsOnRoot()) {
      new ProcessBuilder("kill", "-9", pid).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }
    for (String mount : mountsUnderRoot().reversed()) {
      new ProcessBuilder("umount", "-l", mount).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }
    for (String cgroup : left.cgroups()) {
      Files.deleteIfExists(Path.of(cgroup));
    }
    for (String unit : left.units()) {
      new ProcessBuilder("systemctl", "stop", unit.split(" ")[0]).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
    }
    for (String veth : left.veths()) {
      new ProcessBuilder("ip", "link", "del", veth).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }
    for (String dir : List.of("run", "state/sandboxes", "state/containers", "state/runtime", "ipam")) {
      deleteTree(root.resolve(dir));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @AfterAll
  static void removeBridgeAndCgroupParent() throws Exception {
    if (armed != null) {
      armed.close();
      armed = null;
    }
    if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
      new ProcessBuilder("ip", "link", "del", BRIDGE).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }
    // The pod cgroup parent is the kubelet's to remove, not the runtime's.
    NodeCgroups.removeParent(CGROUP_PARENT);
  }

  /** Where the daemon dies: {@code <operation>:<step>} (just after the step) or {@code …:before}. */
  static final List<String> FAULTS = List.of(
      "run_pod_sandbox:namespaces:before",
      "run_pod_sandbox:namespaces",
      "run_pod_sandbox:shm_files_sysctls",
      "run_pod_sandbox:pod_init",
      "run_pod_sandbox:network",
      "create_container:image",
      "create_container:rootfs",
      "create_container:image_volumes",
      "create_container:spec",
      "create_container:native_create",
      "create_container:persist",
      "start_container:native_start:before",
      "start_container:native_start",
      "stop_pod_sandbox:network:before",
      "stop_pod_sandbox:network",
      "remove_container:native_delete",
      "remove_container:rootfs",
      "remove_container:files",
      "remove_pod_sandbox:network",
      "remove_pod_sandbox:release",
      "remove_pod_sandbox:files");

  /**
   * Daemon starts are most of the suite's time: the daemon that recovers from one case is started
   * already armed with the next case's fault when that fault is in RunPodSandbox, CreateContainer
   * or StartContainer, which the recovery checks (list, stop, remove) never call.
   */
  private static KonaDaemon armed;
  private static String armedFor;

  static List<String> faults() {
    return FAULTS;
  }

  @ParameterizedTest
  @MethodSource("faults")
  void killedAtStep_restartLeavesNothingBehind(String fault) throws Exception {
    long t0 = System.nanoTime();
    KonaDaemon doomed = fault.equals(armedFor) ? armed : start(Map.of("KONA_FAULT_EXIT_AT", fault));
    armed = null;
    armedFor = null;
    try {
      driveUntilDeath(doomed, fault);
      assertTrue(doomed.process().waitFor(30, TimeUnit.SECONDS), "the daemon halts at " + fault);
      assertEquals(137, doomed.process().exitValue(), "halted by the fault hook at " + fault + ":\n" + tail(doomed));
    } finally {
      if (doomed.process().isAlive()) {
        doomed.kill();
      }
    }

    int at = FAULTS.indexOf(fault);
    String next = at >= 0 && at + 1 < FAULTS.size() ? FAULTS.get(at + 1) : null;
    boolean arm = next != null
        && Stream.of("run_pod_sandbox:", "create_container:", "start_container:").anyMatch(next::startsWith);
    KonaDaemon kona = start(arm ? Map.of("KONA_FAULT_EXIT_AT", next) : Map.of());
    boolean handedOn = false;
    try {
      List<PodSandbox> pods = kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList();
      List<Container> containers =
          kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersList();
      assertListingsAgreeWithHost(fault, pods, containers);

      for (PodSandbox pod : pods) {
        kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(pod.getId()).build());
        kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(pod.getId()).build());
      }
      assertEquals(List.of(), kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersList(),
          "containers listed after every pod was removed");
      assertEquals(Leftovers.NONE, Leftovers.take(), "left behind after a crash at " + fault + ":\n" + tail(kona));
      if (arm) {
        armed = kona;
        armedFor = next;
        handedOn = true;
      }
    } finally {
      if (!handedOn) {
        kona.close();
      }
    }
    System.out.printf("crash at %s: recovered and cleaned in %.1f s%n", fault, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * A container whose record cannot be read at start (a torn or corrupt file is skipped, never fatal)
   * and that has no journal entry: its engine dir, monitor, rootfs mount, writable layer and bundle
   * are found by the reconciliation at start and removed, not left running unlisted forever.
   */
  @Test
  void unreadableRecord_unjournaledEngineContainer_isRemovedAtStart() throws Exception {
    PodAndContainer made = podWithContainerThenKill(true);
    String podId = made.podId();
    String id = made.containerId();
    Files.writeString(root.resolve("state/runtime/containers").resolve(id + ".json"), "{\"id\": ");

    try (KonaDaemon kona = start(Map.of())) {
      List<Container> containers =
          kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersList();
      assertEquals(List.of(), containers);
      assertListingsAgreeWithHost("an unreadable container record",
          kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList(), containers);
      assertEquals(Set.of(), names(root.resolve("state/runtime/containers")), "the unreadable record is removed");
      kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
      kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
      assertEquals(Leftovers.NONE, Leftovers.take(), "left behind:\n" + tail(kona));
    }
  }

  /**
   * A daemon killed while its monitor was starting leaves an engine dir with no status file; when
   * the container's record is unreadable too, nothing else knows it. Its dir, cgroup, rootfs mount,
   * writable layer and bundle are removed at start like any container no record accounts for.
   */
  @Test
  void unreadableRecord_engineDirWithoutStatus_isRemovedAtStart() throws Exception {
    PodAndContainer made = podWithContainerThenKill(false);
    String podId = made.podId();
    String id = made.containerId();
    // As if the daemon had died before the monitor wrote its first status: no monitor, no process.
    Path engineDir = root.resolve("run/engine/containers").resolve(id);
    Path status = engineDir.resolve("status");
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("monitor_pid=") || line.startsWith("pid=")) {
        long pid = Long.parseLong(line.substring(line.indexOf('=') + 1));
        ProcessHandle.of(pid).ifPresent(p -> {
          p.destroyForcibly();
          p.onExit().join();
        });
      }
    }
    Files.delete(status);
    Files.writeString(root.resolve("state/runtime/containers").resolve(id + ".json"), "{\"id\": ");

    try (KonaDaemon kona = start(Map.of())) {
      List<Container> containers =
          kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersList();
      assertEquals(List.of(), containers);
      assertFalse(Files.exists(engineDir), "the status-less engine dir is removed: " + engineDir);
      kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
      kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
      assertEquals(Leftovers.NONE, Leftovers.take(), "left behind:\n" + tail(kona));
    }
  }

  private record PodAndContainer(String podId, String containerId) {}

  /**
   * On a daemon of its own (the armed one is closed first: one daemon per root), a pod with one
   * container, started or only created, then the daemon killed.
   */
  private static PodAndContainer podWithContainerThenKill(boolean started) throws Exception {
    if (armed != null) {
      armed.close();
      armed = null;
      armedFor = null;
    }
    try (KonaDaemon kona = start(Map.of())) {
      PodSandboxConfig pod = podConfig();
      String podId = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod).build())
          .getPodSandboxId();
      kona.images().pullImage(PullImageRequest.newBuilder()
          .setImage(ImageSpec.newBuilder().setImage(registry.image())).build());
      String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(podId)
          .setSandboxConfig(pod)
          .setConfig(ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("app"))
              .setImage(ImageSpec.newBuilder().setImage(registry.image())).addAllCommand(List.of("sleep", "1000")))
          .build()).getContainerId();
      if (started) {
        kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
      }
      kona.kill();
      return new PodAndContainer(podId, id);
    }
  }

  private static KonaDaemon start(Map<String, String> env) throws Exception {
    return KonaDaemon.start(root, env, "--config=" + config);
  }

  /**
   * Runs the steps of a pod's life up to the operation of {@code fault}, which must kill the
   * daemon. The pod is removed without a stop first when the fault is in the removal's network step
   * (a stopped pod has no network left to detach).
   */
  private static void driveUntilDeath(KonaDaemon kona, String fault) {
    String operation = fault.substring(0, fault.indexOf(':'));
    try {
      PodSandboxConfig pod = podConfig();
      String podId = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod).build())
          .getPodSandboxId();
      if (operation.equals("run_pod_sandbox")) {
        fail("RunPodSandbox returned " + podId + " instead of dying");
      }
      if (!kona.images().imageStatus(ImageStatusRequest.newBuilder()
          .setImage(ImageSpec.newBuilder().setImage(registry.image())).build()).hasImage()) {
        kona.images().pullImage(PullImageRequest.newBuilder()
            .setImage(ImageSpec.newBuilder().setImage(registry.image())).build());
      }
      String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(podId)
          .setSandboxConfig(pod)
          .setConfig(ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("app"))
              .setImage(ImageSpec.newBuilder().setImage(registry.image())).addAllCommand(List.of("sleep", "1000")))
          .build()).getContainerId();
      if (operation.equals("create_container")) {
        fail("CreateContainer returned " + id + " instead of dying");
      }
      kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
      if (operation.equals("start_container")) {
        fail("StartContainer returned instead of dying");
      }
      if (!fault.startsWith("remove_pod_sandbox:network")) {
        kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
        if (operation.equals("stop_pod_sandbox")) {
          fail("StopPodSandbox returned instead of dying");
        }
      }
      kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
      fail("RemovePodSandbox returned instead of dying at " + operation);
    } catch (StatusRuntimeException died) {
      // the call in flight when the daemon halted
    }
  }

  private static PodSandboxConfig podConfig() {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName("crash").setNamespace("default")
            .setUid(UUID.randomUUID().toString()))
        .setHostname("crash")
        .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent(CGROUP_PARENT)
            .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.POD))))
        .build();
  }

  /**
   * What the restarted daemon lists is what the host has: its pods' run and files dirs, its
   * containers' engine dirs, bundles, writable layers and rootfs mounts, and the monitors and pod
   * inits running, all of listed objects and nothing else; a READY pod has its pinned netns.
   */
  private static void assertListingsAgreeWithHost(String fault, List<PodSandbox> pods, List<Container> containers)
      throws IOException {
    Set<String> podIds = pods.stream().map(PodSandbox::getId).collect(Collectors.toCollection(TreeSet::new));
    Set<String> containerIds = containers.stream().map(Container::getId).collect(Collectors.toCollection(TreeSet::new));
    String at = "after a crash at " + fault + ": ";
    assertEquals(podIds, names(root.resolve("run/sandboxes")), at + "pod run dirs vs. listed pods");
    assertEquals(podIds, names(root.resolve("state/sandboxes")), at + "pod files dirs vs. listed pods");
    assertTrue(podIds.containsAll(names(root.resolve("run/engine/pod-init"))), at + "pod inits of unlisted pods");
    assertEquals(containerIds, names(root.resolve("run/engine/containers")), at + "engine dirs vs. listed containers");
    assertEquals(containerIds, names(root.resolve("state/containers")), at + "bundles vs. listed containers");
    assertEquals(containerIds, names(root.resolve("state/images/containers")),
        at + "writable layers vs. listed containers");
    for (PodSandbox pod : pods) {
      if (pod.getState() == PodSandboxState.SANDBOX_READY) {
        assertTrue(mountsUnderRoot().contains(root.resolve("run/sandboxes").resolve(pod.getId()).resolve("net").toString()),
            at + "READY pod " + pod.getId() + " has no pinned netns");
      }
    }
    for (String mount : mountsUnderRoot()) {
      boolean known = Stream.concat(podIds.stream(), containerIds.stream()).anyMatch(mount::contains);
      assertTrue(known, at + "mount " + mount + " belongs to nothing listed");
    }
    for (String cmdline : processesOnRoot()) {
      boolean known = Stream.concat(podIds.stream(), containerIds.stream()).anyMatch(cmdline::contains);
      assertTrue(known, at + "process \"" + cmdline + "\" belongs to nothing listed");
    }
  }

  /**
   * What a crash could leave behind, once every listed pod is removed; units: Kona's systemd units
   * (container scopes, the pod slice it started) under the systemd driver.
   */
  record Leftovers(List<String> mounts, List<String> processes, List<String> cgroups, List<String> units,
      List<String> veths, List<String> ips, List<String> files) {

    static final Leftovers NONE =
        new Leftovers(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    static Leftovers take() throws IOException, InterruptedException {
      List<String> cgroups = NodeCgroups.childCgroups(CGROUP_PARENT);
      List<String> units = NodeCgroups.konaUnits(CGROUP_PARENT);
      List<String> veths = List.copyOf(names(Path.of("/sys/class/net", BRIDGE, "brif")));
      List<String> ips = names(ipam.resolve(NETWORK)).stream()
          .filter(f -> !f.equals("lock") && !f.startsWith("last_reserved_ip")).toList();
      List<String> files = new ArrayList<>();
      for (String dir : List.of("run/sandboxes", "state/sandboxes", "run/engine/containers", "run/engine/pod-init",
          "run/engine/exec", "state/containers", "state/images/containers", "state/runtime/sandboxes",
          "state/runtime/containers", "state/runtime/journal/sandboxes", "state/runtime/journal/containers")) {
        names(root.resolve(dir)).forEach(f -> files.add(dir + "/" + f));
      }
      return new Leftovers(mountsUnderRoot(), processesOnRoot(), cgroups, units, veths, ips, files);
    }
  }

  private static Set<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".tmp"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static List<String> mountsUnderRoot() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .map(l -> l.split(" ")[4]).filter(p -> p.startsWith(root.toString())).sorted().toList();
  }

  /** Command lines of the processes that run from or on the test root: monitors, pod inits. */
  private static List<String> processesOnRoot() throws IOException {
    return onRoot().values().stream().sorted().toList();
  }

  private static List<String> pidsOnRoot() throws IOException {
    return List.copyOf(onRoot().keySet());
  }

  /** Pid to command line of every process but a daemon whose command line names the test root. */
  private static Map<String, String> onRoot() throws IOException {
    long self = ProcessHandle.current().pid();
    Map<String, String> found = new java.util.TreeMap<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        String pid = p.getFileName().toString();
        String cmdline;
        try {
          cmdline = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ').strip();
        } catch (IOException gone) {
          continue;
        }
        if (!pid.equals(Long.toString(self)) && cmdline.contains(root.toString())
            && !cmdline.contains(" daemon --socket=")) {
          found.put(pid, cmdline);
        }
      }
    }
    return found;
  }

  private static String tail(KonaDaemon kona) throws IOException {
    String log = kona.log();
    return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
  }
}
