package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.PodSandbox;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container suites' fixture: before each test a daemon under a fresh root with the suite's
 * image pulled and one pod running (its logs under root/logs); after it every pod stopped and
 * removed, the daemon closed, and no container or mount left behind.
 */
abstract class OnePodSuite {

  private final BusyboxRegistry registry;
  private final Supplier<String> image;
  private final String podName;

  @TempDir Path root;
  KonaDaemon kona;
  String pod;

  /**
   * {@code registry} is the subclass's static {@code @RegisterExtension} field; {@code image} is
   * read before each test (a suite may push its image in {@code @BeforeAll}).
   */
  OnePodSuite(BusyboxRegistry registry, Supplier<String> image, String podName) {
    this.registry = registry;
    this.image = image;
    this.podName = podName;
  }

  @BeforeEach
  void startDaemonWithOnePod() throws Exception {
    kona = registry.startKona(root);
    kona.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image.get())).build());
    PodSandboxConfig config = PodSandboxTest.config(podName).toBuilder().setLogDirectory(root.resolve("logs").toString()).build();
    pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()).getPodSandboxId();
  }

  @AfterEach
  void removePodsAndStopDaemon() throws Exception {
    try {
      for (PodSandbox p : kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
        kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
        kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
      }
      assertEquals(0, kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
    } finally {
      kona.close();
    }
    assertEquals(List.of(), PodSandboxTest.mountsUnder(root), "mounts left under the test root");
  }
}
