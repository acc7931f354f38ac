package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.Mount;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.image.testing.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An image's VOLUME through a real daemon: a fresh directory per container, copied up from the
 * image, bind-mounted read-write; a CRI mount at the same path wins; removal leaves nothing.
 */
class ImageVolumeTest extends OnePodSuite {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();
  static String image;

  @BeforeAll
  static void pushImage() throws Exception {
    image = registry.push("busybox-volume", SampleImages.withVolume());
  }

  ImageVolumeTest() {
    super(registry, () -> image, "vol");
  }

  private String run(String name, Mount... mounts) {
    PodSandboxConfig sandbox = PodSandboxTest.config("vol");
    ContainerConfig config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(image))
        .addAllCommand(List.of("sleep", "1000"))
        .addAllMounts(List.of(mounts))
        .build();
    String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder()
        .setPodSandboxId(pod).setConfig(config).setSandboxConfig(sandbox).build()).getContainerId();
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    return id;
  }

  private String exec(String id, String script) {
    ExecSyncResponse r = kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addAllCmd(List.of("sh", "-c", script)).setTimeout(10).build());
    assertEquals(0, r.getExitCode(), r.getStderr().toStringUtf8());
    return r.getStdout().toStringUtf8();
  }

  private List<Path> pathsNaming(String id) throws Exception {
    try (Stream<Path> all = Files.walk(root.resolve("state"))) {
      return all.filter(p -> p.getFileName().toString().contains(id)).toList();
    }
  }

  @Test
  void imageVolume_copiedUpFromTheImage_writableAndPerContainer_removedWithTheContainer() throws Exception {
    String first = run("first");
    assertEquals("seeded by the image\n", exec(first, "cat /data/seed"));
    assertEquals("750 1000:1000\n640 1000:1000\n", exec(first, "busybox stat -c '%a %u:%g' /data /data/seed"));
    assertEquals("seed\ndeep\n", exec(first, "busybox readlink /data/link; cat /data/nested/deep"));
    assertTrue(exec(first, "cat /proc/self/mountinfo").lines().anyMatch(l -> l.split(" ")[4].equals("/data")),
        "/data is a mount of its own");

    exec(first, "echo written > /data/new; echo more >> /data/seed");
    assertEquals("written\n", exec(first, "cat /data/new"));
    Path volume = root.resolve("state/containers").resolve(first).resolve("volumes/0");
    assertEquals("written\n", Files.readString(volume.resolve("new")), "the volume lives in the container's dir");

    String second = run("second");
    assertEquals("seeded by the image\n", exec(second, "cat /data/seed"), "a fresh copy, not the first's");
    assertEquals("absent\n", exec(second, "test -e /data/new && echo present || echo absent"));

    kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(first).build());
    assertFalse(Files.exists(volume));
    assertEquals(List.of(), pathsNaming(first), "nothing left under the state root for the removed container");
    assertEquals("seeded by the image\n", exec(second, "cat /data/seed"));
  }

  @Test
  void criMountAtTheVolumePath_wins() throws Exception {
    Path host = Files.createDirectories(root.resolve("host-data"));
    Files.writeString(host.resolve("from-host"), "host\n");
    String id = run("mounted", Mount.newBuilder().setContainerPath("/data").setHostPath(host.toString()).build());

    assertEquals("host\n", exec(id, "cat /data/from-host"));
    assertEquals("absent\n", exec(id, "test -e /data/seed && echo present || echo absent"));
    assertFalse(Files.exists(root.resolve("state/containers").resolve(id).resolve("volumes")), "no volume made");

    kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
    assertEquals(List.of(), pathsNaming(id));
    assertTrue(Files.exists(host.resolve("from-host")), "the host's directory is left alone");
  }
}
