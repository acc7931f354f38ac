package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerStatus;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.ImageStatusRequest;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.Mount;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.RemoveImageRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.testing.TestImages;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Image volumes (KEP-4639) through a real daemon, as the kubelet sends them: a CRI Mount with
 * {@code image} set mounts that image read-only (its layers stacked, no writable layer, no copy),
 * optionally only {@code image_sub_path}, on Kona's engine and on the runc and crun handlers;
 * ContainerStatus names the image and its id (KEP-5365); the refusals; RemoveImage held off until
 * the last container that mounts the image is gone, also across a daemon restart.
 */
class ImageMountTest {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  private static final String HANDLERS = """
      [runtime.handlers.runc]
      engine = "runc"
      [runtime.handlers.crun]
      engine = "crun"
      binary = "/usr/bin/crun"
      """;

  static String data;

  @TempDir Path root;
  KonaDaemon kona;

  /** Not runnable (no busybox): two layers, the second overriding a file and deleting another. */
  static BuiltImage dataImage() {
    LayerBuilder first = new LayerBuilder()
        .dir("content", 0755)
        .file("content/a", "from layer 1\n", 0644)
        .file("content/gone", "deleted by layer 2\n", 0644)
        .dir("content/dir", 0755)
        .file("content/dir/b", "b\n", 0644)
        .file("top-file", "file\n", 0644);
    LayerBuilder second = new LayerBuilder()
        .dir("content", 0755)
        .file("content/a", "from layer 2\n", 0644)
        .whiteout("content/gone");
    return TestImages.builder().layer(first).layer(second).label("image volume data").build();
  }

  @BeforeAll
  static void pushData() throws Exception {
    data = registry.push("volume-data", dataImage());
  }

  @BeforeEach
  void start() throws Exception {
    KonaDaemon.writeLoopbackNetwork(root);
    kona = KonaDaemon.startWithConfig(root, registry.konaConfig() + HANDLERS);
    pull(registry.image());
    pull(data);
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
  }

  private void pull(String image) {
    kona.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build());
  }

  private String pod(String handler) {
    return kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder()
        .setConfig(PodSandboxTest.config("imgmount")).setRuntimeHandler(handler).build()).getPodSandboxId();
  }

  private static Mount image(String containerPath, String image, String subPath) {
    return Mount.newBuilder().setContainerPath(containerPath).setReadonly(true)
        .setImage(ImageSpec.newBuilder().setImage(image)).setImageSubPath(subPath).build();
  }

  private String create(String pod, String name, Mount... mounts) {
    ContainerConfig config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .addAllCommand(List.of("sleep", "1000"))
        .addAllMounts(List.of(mounts))
        .build();
    return kona.runtime().createContainer(CreateContainerRequest.newBuilder()
        .setPodSandboxId(pod).setConfig(config).setSandboxConfig(PodSandboxTest.config("imgmount")).build())
        .getContainerId();
  }

  private String run(String pod, String name, Mount... mounts) {
    String id = create(pod, name, mounts);
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    return id;
  }

  private ExecSyncResponse exec(String id, String script) {
    return kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addAllCmd(List.of("sh", "-c", script)).setTimeout(20).build());
  }

  private String out(String id, String script) {
    ExecSyncResponse r = exec(id, script);
    assertEquals(0, r.getExitCode(), r.getStderr().toStringUtf8());
    return r.getStdout().toStringUtf8();
  }

  private String imageId(String image) {
    return kona.images().imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image))
        .build()).getImage().getId();
  }

  private void removeImage(String image) {
    kona.images().removeImage(RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build());
  }

  private void removeContainer(String id) {
    kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
  }

  /** Lines of the host's mount table whose mount point is under {@code dir}. */
  private static List<String> hostMountsUnder(Path dir) throws Exception {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(l -> l.split(" ")[4].startsWith(dir.toString())).toList();
  }

  @ParameterizedTest(name = "handler \"{0}\"")
  @ValueSource(strings = {"", "runc", "crun"})
  void imageMount_layersStackedReadOnly_subPath_statusNamesImageAndDigest(String handler) throws Exception {
    String id = run(pod(handler), "reader", image("/vol", data, ""), image("/sub", data, "content/dir"));

    assertEquals("from layer 2\n", out(id, "cat /vol/content/a"), "the upper layer wins");
    assertEquals("absent\n", out(id, "test -e /vol/content/gone && echo present || echo absent"), "whiteout honoured");
    assertEquals("b\n", out(id, "cat /sub/b"));
    assertEquals("absent\n", out(id, "test -e /sub/content && echo present || echo absent"), "only the sub-path");
    ExecSyncResponse write = exec(id, "touch /vol/new-file");
    assertNotEquals(0, write.getExitCode(), "an image volume is read-only");
    assertTrue(write.getStderr().toStringUtf8().contains("Read-only file system"), write.getStderr().toStringUtf8());
    assertNotEquals(0, exec(id, "echo x > /sub/b").getExitCode());
    assertTrue(out(id, "cat /proc/self/mountinfo").lines().anyMatch(l -> l.split(" ")[4].equals("/vol")
        && l.split(" ")[5].startsWith("ro")), "/vol is a read-only mount of its own");

    // On the host: one overlay per image volume, lower dirs only: no upper layer, nothing copied.
    Path mounts = root.resolve("state/containers").resolve(id).resolve("image-mounts");
    List<String> host = hostMountsUnder(mounts);
    assertEquals(2, host.size(), host.toString());
    for (String line : host) {
      assertTrue(line.contains(" - overlay overlay ") && line.contains("lowerdir="), line);
      assertFalse(line.contains("upperdir="), line);
    }

    ContainerStatus status = kona.containerStatus(id);
    assertEquals(2, status.getMountsCount());
    Mount vol = status.getMounts(0);
    assertEquals("/vol", vol.getContainerPath());
    assertEquals(data, vol.getImage().getImage());
    assertEquals(imageId(data), vol.getImage().getImageRef(), "KEP-5365: the id of what was mounted");
    assertTrue(vol.getImage().getImageRef().startsWith("sha256:"));
    assertTrue(vol.getReadonly());
    assertEquals("", vol.getHostPath());
    assertEquals("content/dir", status.getMounts(1).getImageSubPath());

    removeContainer(id);
    assertEquals(List.of(), hostMountsUnder(root.resolve("state/containers")), "the image mounts went with it");
    assertFalse(Files.exists(root.resolve("state/containers").resolve(id)));
  }

  @Test
  void imageMount_refusals_writable_missingSubPath_imageNotPresent() throws Exception {
    String pod = pod("");
    Mount writable = image("/vol", data, "").toBuilder().setReadonly(false).build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> create(pod, "writable", writable));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("config.mounts[0].readonly"), e.getStatus().getDescription());

    e = assertThrows(StatusRuntimeException.class,
        () -> create(pod, "missing", image("/a", data, "content"), image("/vol", data, "content/nope")));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("config.mounts[1].image_sub_path \"content/nope\" does not exist"),
        e.getStatus().getDescription());

    e = assertThrows(StatusRuntimeException.class, () -> create(pod, "escape", image("/vol", data, "../etc")));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("config.mounts[0].image_sub_path"), e.getStatus().getDescription());

    String absent = registry.image().replace("busybox:1.0", "never-pulled:1.0");
    e = assertThrows(StatusRuntimeException.class, () -> create(pod, "absent", image("/vol", absent, "")));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("config.mounts[0].image: image \"" + absent + "\""),
        e.getStatus().getDescription());

    assertEquals(0, kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
    assertEquals(List.of(), hostMountsUnder(root.resolve("state/containers")), "nothing left mounted");
    removeImage(data);
    assertFalse(kona.images().imageStatus(ImageStatusRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage(data)).build()).hasImage(), "no hold left by the failed creations");
  }

  @Test
  void removeImage_whileMounted_failedPreconditionUntilTheLastContainerIsRemoved_acrossRestart() throws Exception {
    String pod = pod("");
    String first = run(pod, "first", image("/vol", data, ""));
    String second = create(pod, "second", image("/vol", data, "content"));
    String id = imageId(data);

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> removeImage(data));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    String message = e.getStatus().getDescription();
    assertTrue(message.contains("mounted as an image volume by container") && message.contains(first)
        && message.contains(second), message);
    e = assertThrows(StatusRuntimeException.class, () -> removeImage(id));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), "by id too");

    removeContainer(first);
    e = assertThrows(StatusRuntimeException.class, () -> removeImage(data));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), "the second still mounts it");

    kona.terminate(KonaDaemon.scaled(Duration.ofSeconds(20)));
    kona = KonaDaemon.startWithConfig(root, registry.konaConfig() + HANDLERS);
    e = assertThrows(StatusRuntimeException.class, () -> removeImage(data));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), "the hold survives a restart");
    assertEquals(id, kona.containerStatus(second).getMounts(0).getImage().getImageRef());

    removeContainer(second);
    removeImage(data);
    assertFalse(kona.images().imageStatus(ImageStatusRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage(data)).build()).hasImage());
  }
}
