package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.ContainerStatsRequest;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.FilesystemUsage;
import dev.kona.cri.api.v1.ImageFsInfoRequest;
import dev.kona.cri.api.v1.ImageFsInfoResponse;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopContainerRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A split image filesystem (KEP-4191) through a real daemon: {@code containers_root} on a tmpfs of
 * its own, the images on the test's filesystem. A container's writes land on the tmpfs, ImageFsInfo
 * reports the two filesystems apart and its numbers move with the writes, the container stats name
 * the containers' filesystem, a restarted daemon finds the layer, removal takes it away, a creation
 * cut short by a crash leaves no layer there after the restart, and the directory is root's alone.
 */
class SplitImageFsTest {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  private static final long WRITTEN = 3L << 20;

  @TempDir Path root;
  private Path layersFs;
  private KonaDaemon kona;

  @BeforeEach
  void mountLayersFs() throws Exception {
    layersFs = Files.createDirectories(root.resolve("layers-fs"));
    run("mount", "-t", "tmpfs", "-o", "size=64m,mode=0755", "kona-split", layersFs.toString());
  }

  @AfterEach
  void cleanup() throws Exception {
    try {
      if (kona != null) {
        kona.close();
      }
    } finally {
      run("umount", layersFs.toString());
    }
    assertEquals(List.of(), PodSandboxTest.mountsUnder(root), "mounts left under the test root");
  }

  private KonaDaemon start(Map<String, String> env) throws Exception {
    KonaDaemon.writeLoopbackNetwork(root);
    return KonaDaemon.start(root, env, "--config=" + config(), "--containers_root=" + layersFs);
  }

  private Path config() throws Exception {
    Path file = root.resolve("kona.toml");
    Files.writeString(file, registry.konaConfig());
    return file;
  }

  @Test
  void containersRoot_writesLandThere_imageFsInfoSplits_restartFindsTheLayer_removeCleans() throws Exception {
    kona = start(Map.of());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(layersFs)),
        "the containers root is root's alone, as the state root");
    pull();
    long imageBytes = fsInfo().getImageFilesystems(0).getUsedBytes().getValue();
    ImageFsInfoResponse before = fsInfo();
    assertEquals(root.resolve("state/images").toString(), before.getImageFilesystems(0).getFsId().getMountpoint());
    assertEquals(layersFs.toString(), before.getContainerFilesystems(0).getFsId().getMountpoint());
    assertTrue(before.getContainerFilesystems(0).getUsedBytes().getValue() < 64 * 1024, before.toString());

    PodSandboxConfig podConfig = PodSandboxTest.config("split");
    String pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(podConfig).build())
        .getPodSandboxId();
    String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(pod)
        .setSandboxConfig(podConfig)
        .setConfig(ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("writer"))
            .setImage(ImageSpec.newBuilder().setImage(registry.image()))
            .addAllCommand(List.of("sh", "-c", "dd if=/dev/zero of=/written bs=1024 count=3072 && sleep 1000")))
        .build()).getContainerId();
    Path layer = layersFs.resolve("layers").resolve(id);
    assertTrue(Files.isDirectory(layer.resolve("upper")) && Files.isDirectory(layer.resolve("work")),
        "upper and work dirs on the containers' filesystem, together");
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    Path written = layer.resolve("upper/written");
    await("the container's write in its layer on the tmpfs",
        () -> Files.isRegularFile(written) ? sizeOf(written) : 0, n -> n == WRITTEN);
    assertEquals(Files.getFileStore(layersFs), Files.getFileStore(written));

    long containerBytes = await("ImageFsInfo's container filesystem counts the write",
        () -> fsInfo().getContainerFilesystems(0).getUsedBytes().getValue(), n -> n >= WRITTEN);
    assertTrue(containerBytes < WRITTEN + (1 << 20), "the writable layers alone: " + containerBytes);
    assertEquals(imageBytes, fsInfo().getImageFilesystems(0).getUsedBytes().getValue(), "the images alone");
    FilesystemUsage writable = await("the container's stats count the write", () ->
        kona.runtime().containerStats(ContainerStatsRequest.newBuilder().setContainerId(id).build())
            .getStats().getWritableLayer(), u -> u.getUsedBytes().getValue() >= WRITTEN);
    assertEquals(layersFs.toString(), writable.getFsId().getMountpoint(),
        "the kubelet looks the writable layer's disk up by this id");

    assertEquals(0, kona.terminate(KonaDaemon.scaled(Duration.ofSeconds(30))), kona.log());
    kona = start(Map.of());
    assertEquals(ContainerState.CONTAINER_RUNNING, kona.containerStatus(id).getState(), "found again after a restart");
    assertEquals(Long.toString(WRITTEN), kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addAllCmd(List.of("sh", "-c", "wc -c < /written")).setTimeout(30).build()).getStdout()
        .toString(StandardCharsets.UTF_8).strip(), "the container still sees its layer");

    kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(id).setTimeout(0).build());
    kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
    assertFalse(Files.exists(layer), "the layer goes with the container");
    assertEquals(List.of(), list(layersFs.resolve("layers")));
    long after = fsInfo().getContainerFilesystems(0).getUsedBytes().getValue();
    assertTrue(after < 64 * 1024, "the numbers move back at once: " + after);
  }

  /** A CreateContainer cut short after the layer was made: the restart removes it from the tmpfs. */
  @Test
  void createContainer_killedAfterTheLayerWasMade_restartRemovesIt() throws Exception {
    KonaDaemon doomed = start(Map.of("KONA_FAULT_EXIT_AT", "create_container:native_create"));
    kona = doomed;
    pull();
    PodSandboxConfig podConfig = PodSandboxTest.config("split-crash");
    String pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(podConfig).build())
        .getPodSandboxId();
    try {
      kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(pod)
          .setSandboxConfig(podConfig)
          .setConfig(ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("cut"))
              .setImage(ImageSpec.newBuilder().setImage(registry.image())).addAllCommand(List.of("sleep", "1000")))
          .build());
    } catch (io.grpc.StatusRuntimeException expected) {
      // the daemon halted mid-call
    }
    assertTrue(doomed.process().waitFor(30, TimeUnit.SECONDS), "the daemon halts at the fault");
    assertEquals(137, doomed.process().exitValue(), doomed.log());
    assertEquals(1, list(layersFs.resolve("layers")).size(), "the layer was made before the halt");

    kona = start(Map.of());
    assertEquals(0, kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
    assertEquals(List.of(), list(layersFs.resolve("layers")), "the journal's teardown removed the layer");
  }

  private void pull() {
    kona.images().pullImage(PullImageRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage(registry.image())).build());
  }

  private ImageFsInfoResponse fsInfo() {
    return kona.images().imageFsInfo(ImageFsInfoRequest.getDefaultInstance());
  }

  /** Polls {@code value} until {@code done}; the layer walks refresh every 10 s. */
  private static <T> T await(String what, Supplier<T> value, java.util.function.Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + KonaDaemon.scaled(Duration.ofSeconds(40)).toNanos();
    T last = value.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": still " + last);
      }
      Thread.sleep(250);
      last = value.get();
    }
    return last;
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static List<String> list(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
  }
}
