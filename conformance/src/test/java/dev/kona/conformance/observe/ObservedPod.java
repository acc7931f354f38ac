package dev.kona.conformance.observe;

import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerStatus;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.LinuxContainerConfig;
import dev.kona.cri.api.v1.LinuxContainerResources;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.PodSandbox;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import dev.kona.conformance.fixture.BusyboxRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A daemon with busybox pulled from a real local registry and one pod on the loopback-only CNI
 * network: the common ground of the observe suites. {@link #close} of the first pod removes every
 * pod, then stops the daemon and checks nothing is left.
 */
final class ObservedPod implements AutoCloseable {

  final KonaDaemon kona;
  final String image;
  final Path root;
  final PodSandboxConfig config;
  final String pod;
  private final boolean ownsDaemon;

  private ObservedPod(KonaDaemon kona, String image, Path root, PodSandboxConfig config, String pod,
      boolean ownsDaemon) {
    this.kona = kona;
    this.image = image;
    this.root = root;
    this.config = config;
    this.pod = pod;
    this.ownsDaemon = ownsDaemon;
  }

  static ObservedPod start(Path root, BusyboxRegistry registry, String podName) throws Exception {
    String image = registry.image();
    KonaDaemon kona = registry.startKona(root);
    try {
      kona.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build());
      return runPod(kona, image, root, podName, true);
    } catch (Exception | AssertionError e) {
      kona.close();
      throw e;
    }
  }

  /** Another pod in the same daemon; closing it leaves the daemon to its owner. */
  ObservedPod another(String podName) {
    return runPod(kona, image, root, podName, false);
  }

  private static ObservedPod runPod(KonaDaemon kona, String image, Path root, String podName, boolean owner) {
    PodSandboxConfig config = PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(podName).setNamespace("observe")
            .setUid(UUID.randomUUID().toString()))
        .setHostname(podName)
        .setLogDirectory(root.resolve("logs").toString())
        .putLabels("app", podName)
        .build();
    String pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build())
        .getPodSandboxId();
    return new ObservedPod(kona, image, root, config, pod, owner);
  }

  /** Creates (not starts) a container running {@code sh -c script}, labelled role=name. */
  String create(String name, long memoryLimit, String script) {
    ContainerConfig config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(image))
        .addAllCommand(List.of("sh", "-c", script))
        .setLogPath(name + "/0.log")
        .putLabels("role", name)
        .setLinux(LinuxContainerConfig.newBuilder()
            .setResources(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(memoryLimit)))
        .build();
    return kona.runtime().createContainer(CreateContainerRequest.newBuilder()
        .setPodSandboxId(pod).setConfig(config).setSandboxConfig(this.config).build()).getContainerId();
  }

  String run(String name, long memoryLimit, String script) {
    String id = create(name, memoryLimit, script);
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    return id;
  }

  ContainerStatus status(String id) {
    return kona.containerStatus(id);
  }

  void awaitExit(String id) throws InterruptedException {
    kona.awaitExit(id, Duration.ofSeconds(30));
  }

  /** Waits up to 30 s for {@code line} in the container's log: the workload reached a known point. */
  void awaitLog(String name, String line) throws InterruptedException {
    Path log = root.resolve("logs").resolve(name).resolve("0.log");
    await(name + " logs \"" + line + "\"", () -> {
      try {
        return Files.exists(log) && Files.readString(log).contains(line);
      } catch (IOException e) {
        return false;
      }
    });
  }

  static void await(String what, BooleanSupplier done) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      if (done.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("timed out waiting until " + what);
  }

  static <T> T find(List<T> items, Predicate<T> p, String what) {
    return items.stream().filter(p).findFirst().orElseThrow(() -> new AssertionError("no " + what + " in " + items));
  }

  @Override
  public void close() throws Exception {
    if (!ownsDaemon) {
      return;
    }
    try {
      for (PodSandbox p : kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
        kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
        kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
      }
      if (kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount() != 0) {
        throw new AssertionError("containers left after removing every pod");
      }
    } finally {
      kona.close();
    }
  }
}
