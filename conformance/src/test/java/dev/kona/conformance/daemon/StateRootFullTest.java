package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.Container;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.LinuxPodSandboxConfig;
import dev.kona.cri.api.v1.LinuxSandboxSecurityContext;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.NamespaceMode;
import dev.kona.cri.api.v1.NamespaceOption;
import dev.kona.cri.api.v1.PodSandbox;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * RunPodSandbox and CreateContainer onto a full state root: a real 64 MiB tmpfs as the state root,
 * filled by the test to leave 0, 1, 2, … pages free, so that each operation runs out of space at
 * each of its writes in turn (journal, pod files, CNI cache, writable layer, bundle, records).
 * Every failure must be RESOURCE_EXHAUSTED naming the filesystem, and leave nothing: no listed or
 * unlisted pod or container, no mount, process, journal entry or temp file. Once there is room the
 * same call succeeds. StartContainer writes nothing there and works on a full state root; the pod
 * then stops and removes cleanly.
 */
class StateRootFullTest {

  @RegisterExtension static BusyboxRegistry registry = new BusyboxRegistry();

  private static final int PAGE = 4096;
  /** Enough free pages for any one of the three calls; a sweep that never succeeds fails. */
  private static final int MAX_FREE_PAGES = 48;

  @TempDir Path temp;
  private Path root;
  private Path state;
  private Path filler;
  private KonaDaemon kona;
  private final String cgroupParent = "/kona-full-" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void cleanup() throws Exception {
    try {
      if (filler != null) {
        Files.deleteIfExists(filler);
      }
      if (kona != null) {
        kona.close();
      }
    } finally {
      // What a failed case left (mounts under the run root: shm, namespace pins), then the tmpfs.
      if (root != null) {
        for (String mount : mountsUnderRoot().reversed()) {
          if (!mount.equals(state.toString())) {
            run("umount", "-l", mount);
          }
        }
      }
      if (state != null) {
        run("umount", state.toString());
      }
      for (String controller : List.of("memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "devices", "freezer",
          "systemd", "unified")) {
        Files.deleteIfExists(Path.of("/sys/fs/cgroup", controller).resolve(cgroupParent.substring(1)));
      }
    }
  }

  @Test
  void podOperations_stateRootFull_areResourceExhaustedNamingIt_andLeaveNothing() throws Exception {
    root = temp.resolve("kona");
    state = Files.createDirectories(root.resolve("state"));
    run("mount", "-t", "tmpfs", "-o", "size=64m,nosuid,nodev", "kona-full", state.toString());
    filler = state.resolve("filler");
    kona = registry.startKona(root);
    kona.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(registry.image())).build());
    PodSandboxConfig pod = podConfig();

    String podId = sweep("RunPodSandbox", () ->
        kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod).build()).getPodSandboxId());

    String containerId = sweep("CreateContainer", () ->
        kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(podId).setSandboxConfig(pod)
            .setConfig(ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("app"))
                .setImage(ImageSpec.newBuilder().setImage(registry.image())).addAllCommand(List.of("sleep", "1000")))
            .build()).getContainerId());

    // StartContainer writes nothing to the state root: it must work on a full one.
    fill(0);
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(containerId).build());
    assertEquals(ContainerState.CONTAINER_RUNNING, kona.containerStatus(containerId).getState());
    Files.delete(filler);

    kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
    kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
    assertAgreesWithHost("after the pod was removed", List.of(), List.of());
  }

  /**
   * A pod on the node's network writes no CNI cache, so its last write, the record, can be the one
   * that finds the disk full: after its namespaces, shm and pod files were all made.
   */
  @Test
  void runPodSandbox_hostNetwork_stateRootFull_isResourceExhausted_andLeavesNothing() throws Exception {
    root = temp.resolve("kona");
    state = Files.createDirectories(root.resolve("state"));
    run("mount", "-t", "tmpfs", "-o", "size=64m,nosuid,nodev", "kona-full", state.toString());
    filler = state.resolve("filler");
    kona = registry.startKona(root);
    PodSandboxConfig pod = podConfig().toBuilder()
        .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent(cgroupParent)
            .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE))))
        .build();

    String podId = sweep("RunPodSandbox (host network)", () ->
        kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod).build()).getPodSandboxId());

    kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
    kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
    assertAgreesWithHost("after the pod was removed", List.of(), List.of());
  }

  /**
   * Calls {@code operation} with 0, 1, 2, … pages free on the state root until it succeeds. Every
   * failure before that is RESOURCE_EXHAUSTED naming the full filesystem, and the node after it is
   * as before the call.
   */
  private String sweep(String operation, Supplier<String> call) throws Exception {
    List<PodSandbox> podsBefore = pods();
    List<Container> containersBefore = containers();
    int failures = 0;
    for (int free = 0; free <= MAX_FREE_PAGES; free++) {
      fill(free);
      String result;
      try {
        result = call.get();
      } catch (StatusRuntimeException e) {
        Status status = e.getStatus();
        String message = String.valueOf(status.getDescription());
        String at = operation + " with " + free + " pages free: ";
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), at + status + "\n" + tail());
        assertTrue(message.contains("no space left") && message.contains(state.toString()) && message.contains("tmpfs"),
            at + message);
        assertFalse(message.contains("java."), at + message);
        Files.delete(filler);
        assertAgreesWithHost(at, podsBefore, containersBefore);
        assertEquals(ids(podsBefore), ids(pods()), at + "pods listed");
        assertEquals(containersBefore.stream().map(Container::getId).toList(),
            containers().stream().map(Container::getId).toList(), at + "containers listed");
        failures++;
        continue;
      }
      Files.delete(filler);
      System.out.printf("%s: failed cleanly with 0..%d pages free, succeeded with %d%n", operation, free - 1, free);
      assertTrue(failures > 0, operation + " succeeded on a full state root: the test fills nothing it writes");
      return result;
    }
    fail(operation + " did not succeed with " + MAX_FREE_PAGES + " pages free");
    return null;
  }

  /** Fills the state root but for {@code freePages} pages. */
  private void fill(int freePages) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
    try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int size = chunk.capacity(); size >= PAGE; ) {
        try {
          chunk.clear().limit(size);
          while (chunk.hasRemaining()) {
            out.write(chunk);
          }
        } catch (IOException full) {
          size /= 2;
        }
      }
      long filled = out.size() - out.size() % PAGE;
      out.truncate(Math.max(0, filled - (long) freePages * PAGE));
    }
  }

  /**
   * What is on the host is exactly what is listed: the pods' and containers' dirs, engine dirs,
   * writable layers; no mount, monitor or pod init of anything else, no journal entry, no temp file.
   */
  private void assertAgreesWithHost(String at, List<PodSandbox> pods, List<Container> containers) throws IOException {
    Set<String> podIds = ids(pods);
    Set<String> containerIds = containers.stream().map(Container::getId).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(podIds, names(root.resolve("run/sandboxes")), at + "pod run dirs");
    assertEquals(podIds, names(root.resolve("state/sandboxes")), at + "pod files dirs");
    assertEquals(podIds, names(root.resolve("state/runtime/sandboxes")), at + "pod records");
    assertEquals(containerIds, names(root.resolve("run/engine/containers")), at + "engine dirs");
    assertEquals(containerIds, names(root.resolve("state/containers")), at + "bundles");
    assertEquals(containerIds, names(root.resolve("state/runtime/containers")), at + "container records");
    assertEquals(containerIds, names(root.resolve("state/images/containers")), at + "writable layers");
    assertEquals(Set.of(), names(root.resolve("state/runtime/journal/sandboxes")), at + "pod journal entries");
    assertEquals(Set.of(), names(root.resolve("state/runtime/journal/containers")), at + "container journal entries");
    for (String mount : mountsUnderRoot()) {
      boolean known = mount.equals(state.toString())
          || Stream.concat(podIds.stream(), containerIds.stream()).anyMatch(mount::contains);
      assertTrue(known, at + "mount " + mount + " belongs to nothing listed");
    }
    for (String cmdline : processesOnRoot()) {
      boolean known = Stream.concat(podIds.stream(), containerIds.stream()).anyMatch(cmdline::contains);
      assertTrue(known, at + "process \"" + cmdline + "\" belongs to nothing listed");
    }
    try (Stream<Path> walk = Files.walk(state)) {
      List<Path> temps = walk.filter(p -> p.getFileName().toString().startsWith(".tmp")).toList();
      assertEquals(List.of(), temps, at + "temp files left");
    }
  }

  private PodSandboxConfig podConfig() {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName("full").setNamespace("default")
            .setUid(UUID.randomUUID().toString()))
        .setHostname("full")
        .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent(cgroupParent))
        .build();
  }

  private List<PodSandbox> pods() {
    return kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList();
  }

  private List<Container> containers() {
    return kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersList();
  }

  private static Set<String> ids(List<PodSandbox> pods) {
    return pods.stream().map(PodSandbox::getId).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).map(n -> n.endsWith(".json") ? n.substring(0, n.length() - 5) : n)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private List<String> mountsUnderRoot() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .map(l -> l.split(" ")[4]).filter(p -> p.startsWith(root.toString())).sorted().toList();
  }

  /** Command lines of processes other than the daemon that name the test root: monitors, pod inits. */
  private List<String> processesOnRoot() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        String cmdline;
        try {
          cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException gone) {
          continue;
        }
        if (p.getFileName().toString().equals(Long.toString(ProcessHandle.current().pid()))
            || cmdline.contains(" daemon --socket=")) {
          continue;
        }
        if (cmdline.contains(root.toString())) {
          found.add(cmdline);
        }
      }
    }
    return found;
  }

  private String tail() throws IOException {
    String log = kona.log();
    return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
  }
}
